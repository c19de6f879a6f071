# fp_warnings: an interface target carrying the project's warning flags.
add_library(fp_warnings INTERFACE)
target_compile_options(fp_warnings INTERFACE -Wall -Wextra -Wpedantic)
# GCC 12 reports false -Wrestrict positives inside libstdc++'s string
# concatenation at -O3 (GCC bug 105329); they are not errors of ours.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
   AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(fp_warnings INTERFACE -Wno-restrict)
endif()
if(FP_WERROR)
  target_compile_options(fp_warnings INTERFACE -Werror)
endif()
