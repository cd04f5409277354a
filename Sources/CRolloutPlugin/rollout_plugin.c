/* The ABI is the header; SwiftPM needs one source file to build the target. */
#include "rollout_plugin.h"
