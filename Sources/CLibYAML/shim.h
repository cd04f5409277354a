// The system's libyaml (Debian: libyaml-dev), read through its event API by Playbook/YAML.
#include <yaml.h>
