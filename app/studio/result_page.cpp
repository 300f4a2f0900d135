// ResultPage has no code of its own; this file gives its moc output one home.
#include "app/studio/result_page.h"
