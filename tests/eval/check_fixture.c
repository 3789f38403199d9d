#include <config.h>
#include "evaltest.h"
int main(void) { return 77; }
