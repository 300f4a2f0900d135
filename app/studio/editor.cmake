# capsim_studio_editor: the scenario editor (forms, JSON tab, previews, validation) and the
# scenario library browser.
add_library(capsim_studio_editor STATIC
  editor/json_form.cpp
  editor/scenario_forms.cpp
  editor/workload_preview.cpp
  charts/preview_charts.cpp
  editor/workload_editor.cpp
  editor/scenario_editor.cpp
  editor/library_dialog.cpp
)
target_link_libraries(capsim_studio_editor PUBLIC capsim_studio_base)
target_compile_options(capsim_studio_editor PRIVATE ${CAPSIM_WARNINGS})
