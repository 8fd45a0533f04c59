#include <kernel/ktest.h>
