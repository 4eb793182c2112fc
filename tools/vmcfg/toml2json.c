/* placeholder until the parser lands */
#include "commands.h"
int cmd_toml2json(int argc, char **argv) { (void)argc; (void)argv; return 2; }
