# FP_SANITIZE=ON builds everything with ASan + UBSan (tests run under them in CI).
if(FP_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# FP_TSAN=ON builds everything with ThreadSanitizer (the daemon's threads:
# `make test-tsan`). It cannot be combined with FP_SANITIZE.
option(FP_TSAN "Build with ThreadSanitizer" OFF)
if(FP_TSAN)
  if(FP_SANITIZE)
    message(FATAL_ERROR "FP_TSAN and FP_SANITIZE cannot be combined")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
  # TSan does not model std::atomic_thread_fence (GCC warns at every Asio
  # handler); Asio's fenced blocks are redundant with the scheduler's mutex,
  # so they are compiled out instead of being reported 145 times.
  add_compile_definitions(BOOST_ASIO_DISABLE_FENCED_BLOCK)
endif()

# FP_FUZZ=ON (clang only) builds the libFuzzer targets (tests/CMakeLists.txt).
# Every project library is compiled with libFuzzer's coverage
# instrumentation and ASan + UBSan, so the fuzzers see the parsers' edges;
# only the fuzz_* mains link libFuzzer itself.
option(FP_FUZZ "Build libFuzzer targets (needs clang)" OFF)
if(FP_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "FP_FUZZ=ON needs clang: CC=clang CXX=clang++ cmake --preset fuzz")
  endif()
  if(FP_SANITIZE OR FP_TSAN)
    message(FATAL_ERROR "FP_FUZZ brings its own sanitizers: leave FP_SANITIZE and FP_TSAN off")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
