# fp_warnings: an interface target carrying the project's warning flags.
add_library(fp_warnings INTERFACE)
target_compile_options(fp_warnings INTERFACE -Wall -Wextra -Wpedantic)
if(FP_WERROR)
  target_compile_options(fp_warnings INTERFACE -Werror)
endif()
