# capsim_studio_views: the studio's result pages (capacity, partitions, cost, latency, events),
# their item models and the Qt Charts helpers they share (charts/ is the only folder using Qt Charts
# directly besides the pages built on it).
add_library(capsim_studio_views STATIC
  charts/decimation.cpp
  charts/event_markers.cpp
  charts/time_panel.cpp
  charts/heat_map_widget.cpp
  charts/time_axis.cpp
  charts/zoom_chart_view.cpp
  models/cost_breakdown_model.cpp
  models/display_format.cpp
  models/events_model.cpp
  models/global_tables.cpp
  models/scenario_variants.cpp
  models/hot_keys_model.cpp
  models/latency_model.cpp
  models/partition_detail_model.cpp
  pages/capacity_page.cpp
  pages/cost_page.cpp
  pages/dax_page.cpp
  pages/events_page.cpp
  pages/latency_page.cpp
  pages/lifecycle_page.cpp
  pages/partitions_page.cpp
  pages/regions_page.cpp
  pages/capacity_page.h
  pages/cost_page.h
  pages/dax_page.h
  pages/regions_page.h
  charts/time_panel.h
  pages/events_page.h
  pages/latency_page.h
  pages/lifecycle_page.h
  pages/partitions_page.h
)
target_link_libraries(capsim_studio_views PUBLIC capsim_studio_base)
target_compile_options(capsim_studio_views PRIVATE ${CAPSIM_WARNINGS})
