//! graph-sim: placeholder
