// Source: what every feed adapter of the daemon implements (socket
// listeners, folder watchers, file tailers). A source reads bytes and hands
// them to Streams of the Pipeline; it never parses them itself.
//
// Sources are created and driven on the loop thread and held by
// std::shared_ptr (their pending handlers keep them alive).
#pragma once

#include <string>

namespace flashpoint::daemon {

class Source {
 public:
  virtual ~Source() = default;
  // Binds, opens or scans, and starts reading. Returns "" on success, or
  // what went wrong (the daemon then refuses to start).
  virtual std::string start() = 0;
  // Stops accepting and reading. Socket sources first drain what their
  // clients already sent (briefly); file sources stop after the chunk in
  // hand (their offsets make the next run resume exactly).
  virtual void stop() = 0;
  // True once stop() has finished draining.
  [[nodiscard]] virtual bool stopped() const = 0;
  // "feed wire (tcp://127.0.0.1:7400)", for logs.
  [[nodiscard]] virtual std::string describe() const = 0;
};

}  // namespace flashpoint::daemon
