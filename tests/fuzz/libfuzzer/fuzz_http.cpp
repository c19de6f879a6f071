// libFuzzer entry point for the http target (build with FP_FUZZ=ON and clang).
#include "fuzz/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fpfuzz::http(data, size);
  return 0;
}
