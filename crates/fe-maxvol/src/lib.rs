//! MaxVol active sets and extrapolation grades for moment tensor potentials, selection of
//! configurations and cutting of extrapolative neighbourhoods. Not built yet: see the issues.
