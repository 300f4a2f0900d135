# capsim_studio_analysis: the studio's Explain, Compare and Data pages and their models.
add_library(capsim_studio_analysis STATIC
  pages/explain_page.cpp
  pages/compare_page.cpp
  pages/data_page.cpp
  models/totals_model.cpp
  models/items_model.cpp
  models/partitions_model.cpp
  models/export_files.cpp
)
target_link_libraries(capsim_studio_analysis PUBLIC capsim_studio_base ZLIB::ZLIB)
target_compile_options(capsim_studio_analysis PRIVATE ${CAPSIM_WARNINGS})
# ResultPage's moc output is compiled once, in capsim_studio_views (it lists result_page.h); build
# it here only when that library does not exist, or the executable would define it twice.
if(TARGET capsim_studio_views)
  target_link_libraries(capsim_studio_analysis PUBLIC capsim_studio_views)
else()
  target_sources(capsim_studio_analysis PRIVATE result_page.h)
endif()
