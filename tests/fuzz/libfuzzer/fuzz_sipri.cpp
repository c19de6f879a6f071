// libFuzzer entry point for the sipri target (build with FP_FUZZ=ON and clang).
#include "fuzz/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fpfuzz::sipri(data, size);
  return 0;
}
