// libFuzzer entry point for the state target (build with FP_FUZZ=ON and clang).
#include "fuzz/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fpfuzz::state(data, size);
  return 0;
}
