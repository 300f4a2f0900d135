# capsim_studio_live: the Live page, attached to a running `capsim serve` over HTTP (its
# GET /capsim/live), and the history it keeps. The only studio library using Qt Network.
find_package(Qt6 REQUIRED COMPONENTS Network)
add_library(capsim_studio_live STATIC
  models/live_history.cpp
  models/live_history.h
  pages/live_page.cpp
  pages/live_page.h
)
target_link_libraries(capsim_studio_live PUBLIC capsim_studio_views Qt6::Network)
target_compile_options(capsim_studio_live PRIVATE ${CAPSIM_WARNINGS})
