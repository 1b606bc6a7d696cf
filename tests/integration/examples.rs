//! Examples are tested programs: see below.
