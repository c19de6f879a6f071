// `flashpoint serve --db FILE`: the web page and its API without the daemon.
#include <cstdio>

#include "commands.hpp"
#include "common.hpp"

namespace flashpoint::cmd {

int run_serve(const ServeOptions& o) {
  (void)o;
  std::fprintf(stderr, "flashpoint serve: not available in this build\n");
  return kExitUsage;
}

}  // namespace flashpoint::cmd
