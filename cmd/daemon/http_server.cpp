// The HTTP API: one Session per connection on a Beast tcp_stream.
#include "daemon/http_server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <chrono>
#include <optional>
#include <unordered_map>

#include "daemon/guard.hpp"
#include "daemon/http_api.hpp"
#include "daemon/web_assets.hpp"
#include "flashpoint/store/format.hpp"

namespace flashpoint::daemon {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr std::size_t kSlice = 256 * 1024;  // body bytes decoded per loop turn
constexpr std::size_t kMaxLineErrors = 100;
constexpr std::uint32_t kHeaderLimit = 16 * 1024;

// True when a Host header names the server by IP address or localhost
// ("127.0.0.1:7480", "[::1]:7480", "localhost").
bool local_host_name(std::string_view host) {
  error_code ec;
  if (!host.empty() && host.front() == '[') {
    const auto end = host.find(']');
    if (end == std::string_view::npos) return false;
    (void)asio::ip::make_address_v6(std::string(host.substr(1, end - 1)), ec);
    return !ec;
  }
  const auto colon = host.rfind(':');
  if (colon != std::string_view::npos) host = host.substr(0, colon);
  if (host == "localhost") return true;
  (void)asio::ip::make_address_v4(std::string(host), ec);
  return !ec;
}

bool same_token(std::string_view a, std::string_view b) {
  unsigned diff = a.size() == b.size() ? 0U : 1U;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return diff == 0;
}

class Server;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<Server> server);
  void run() { do_read(); }
  void stop();

 private:
  void do_read();
  void on_read(const error_code& ec);
  void handle();
  void post_events();
  void feed_body();
  void run_job(std::function<HttpReply()> job);
  void reply(HttpReply r);
  void respond(http::status status, std::string_view content_type, std::string body,
               bool close = false);
  void on_write(const error_code& ec, bool close);
  void close();

  beast::tcp_stream stream_;
  std::shared_ptr<Server> server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;
  std::unique_ptr<Stream> events_;
  std::size_t body_pos_ = 0;
  bool busy_ = false;
  bool stopping_ = false;
  bool closed_ = false;
};

class Server final : public Source, public std::enable_shared_from_this<Server> {
 public:
  Server(asio::io_context& io, HttpContext context)
      : io_(io), ctx_(std::move(context)), acceptor_(io), retry_(io) {}

  std::string start() override {
    error_code ec;
    const auto address = asio::ip::make_address(ctx_.config.address.host, ec);
    if (ec) return describe() + ": bad address: " + ec.message();
    const tcp::endpoint endpoint(address, ctx_.config.address.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return describe() + ": cannot listen: " + ec.message();
    const auto bound = acceptor_.local_endpoint(ec);
    spdlog::info("http: listening on {}:{}{}", bound.address().to_string(), bound.port(),
                 ctx_.config.token.empty() ? "" : " (bearer token required)");
    if (ctx_.on_listening) ctx_.on_listening(bound.address().to_string(), bound.port());
    do_accept();
    return "";
  }

  void stop() override {
    if (stopping_) return;
    stopping_ = true;
    error_code ec;
    acceptor_.close(ec);
    retry_.cancel();
    std::vector<std::shared_ptr<Session>> live;
    for (auto& [ptr, weak] : sessions_) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
    for (auto& s : live) s->stop();
  }

  [[nodiscard]] bool stopped() const override { return stopping_ && sessions_.empty(); }
  [[nodiscard]] std::string describe() const override {
    return "http (" + ctx_.config.listen + ")";
  }

  void remove(Session* s) { sessions_.erase(s); }
  [[nodiscard]] bool stopping() const { return stopping_; }
  HttpContext& ctx() { return ctx_; }
  asio::io_context& io() { return io_; }

 private:
  void do_accept() {
    if (stopping_) return;
    acceptor_.async_accept([self = shared_from_this()](const error_code& ec, tcp::socket socket) {
      guarded("http accept", [&] { self->on_accept(ec, std::move(socket)); });
    });
  }

  void on_accept(const error_code& ec, tcp::socket socket) {
    if (stopping_) return;
    if (ec) {
      if (ec == asio::error::operation_aborted) return;
      spdlog::warn("http: accept: {}", ec.message());
      retry_.expires_after(std::chrono::milliseconds(100));
      retry_.async_wait([self = shared_from_this()](const error_code& e) {
        if (!e) self->do_accept();
      });
      return;
    }
    if (sessions_.size() >= ctx_.config.max_connections) {
      if (++refused_ % 100 == 1) {
        spdlog::warn("http: {} connections open (max_connections); refusing more",
                     sessions_.size());
      }
      error_code ignored;
      socket.close(ignored);
    } else {
      auto s = std::make_shared<Session>(std::move(socket), shared_from_this());
      sessions_.emplace(s.get(), s);
      s->run();
    }
    do_accept();
  }

  asio::io_context& io_;
  HttpContext ctx_;
  tcp::acceptor acceptor_;
  asio::steady_timer retry_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
  std::uint64_t refused_ = 0;
  bool stopping_ = false;
};

Session::Session(tcp::socket socket, std::shared_ptr<Server> server)
    : stream_(std::move(socket)), server_(std::move(server)) {}

void Session::stop() {
  stopping_ = true;
  if (!busy_) close();  // idle: waiting for a request that will not be served
}

void Session::do_read() {
  if (closed_) return;
  if (stopping_) {
    close();
    return;
  }
  busy_ = false;
  req_ = {};
  parser_.emplace();
  parser_->body_limit(server_->ctx().config.max_body);
  parser_->header_limit(kHeaderLimit);
  stream_.expires_after(std::chrono::milliseconds(server_->ctx().config.timeout_ms));
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](const error_code& ec, std::size_t /*n*/) {
                     guarded("http read", [&] { self->on_read(ec); });
                   });
}

void Session::on_read(const error_code& ec) {
  if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted) {
    close();
    return;
  }
  if (ec == http::error::body_limit) {
    busy_ = true;
    respond(http::status::payload_too_large, "application/json",
            json_error("the body exceeds [http] max_body (" +
                       std::to_string(server_->ctx().config.max_body) + " bytes)"),
            true);
    return;
  }
  if (ec && ec.category() == http::make_error_code(http::error::bad_target).category()) {
    busy_ = true;
    respond(http::status::bad_request, "application/json",
            json_error("bad request: " + ec.message()), true);
    return;
  }
  if (ec) {
    if (ec == beast::error::timeout) {
      spdlog::debug("http: client timed out");
    } else {
      spdlog::debug("http: read: {}", ec.message());
    }
    close();
    return;
  }
  busy_ = true;
  req_ = parser_->release();
  handle();
}

// Why a request from another web site must be refused ("" when it need not).
// A page on any site can make the browser send simple POSTs to a loopback
// server (cross-site request forgery), and a site whose name is rebound to
// 127.0.0.1 reads as same-origin (DNS rebinding). So: a change (any method
// but GET and HEAD) with an Origin other than this server's, or that the
// browser marks cross-site, is refused; and without a token every request
// must name the server by IP address or `localhost`, which a rebound name
// cannot. Clients that send no Origin (curl, scripts) are unaffected.
std::string refuse_foreign(const http::request<http::string_body>& req, bool has_token) {
  const std::string_view host(req[http::field::host].data(), req[http::field::host].size());
  if (!has_token && !host.empty() && !local_host_name(host)) {
    return "the Host '" + std::string(host) +
           "' is not an IP address or localhost; set [http] token to allow host names";
  }
  const bool read = req.method() == http::verb::get || req.method() == http::verb::head;
  if (read) return "";
  const std::string_view origin(req[http::field::origin].data(), req[http::field::origin].size());
  const std::string_view site(req["Sec-Fetch-Site"].data(), req["Sec-Fetch-Site"].size());
  if (site == "cross-site" || site == "same-site" ||
      (!origin.empty() && origin != "http://" + std::string(host))) {
    return "cross-site request refused (Origin '" + std::string(origin) + "')";
  }
  return "";
}

void Session::handle() {
  const std::string_view target = req_.target();
  const auto q = target.find('?');
  const std::string_view path = target.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);
  const auto method = req_.method();
  const bool read = method == http::verb::get || method == http::verb::head;
  const auto& ctx = server_->ctx();

  // The page itself needs no token: it asks for one when the API says 401.
  if (const WebAsset* asset = find_web_asset(path)) {
    if (!read) {
      respond(http::status::method_not_allowed, "application/json", json_error("use GET"));
      return;
    }
    res_.set(http::field::cache_control, "no-cache");
    res_.set("Content-Security-Policy",
             "default-src 'self'; img-src 'self' data: blob:; frame-ancestors 'none'");
    res_.set("X-Content-Type-Options", "nosniff");
    respond(http::status::ok, asset->content_type, std::string(asset->body));
    return;
  }
  if (path == "/healthz") {
    if (!read) {
      respond(http::status::method_not_allowed, "text/plain", "use GET\n");
    } else if (server_->stopping()) {
      respond(http::status::service_unavailable, "text/plain", "stopping\n");
    } else {
      respond(http::status::ok, "text/plain", "ok\n");
    }
    return;
  }
  if (const std::string refused = refuse_foreign(req_, !ctx.config.token.empty());
      !refused.empty()) {
    respond(http::status::forbidden, "application/json", json_error(refused));
    return;
  }
  if (!ctx.config.token.empty()) {
    const auto auth = req_[http::field::authorization];
    const std::string expected = "Bearer " + ctx.config.token;
    if (!same_token(std::string_view(auth.data(), auth.size()), expected)) {
      res_.set(http::field::www_authenticate, "Bearer realm=\"flashpoint\"");
      respond(http::status::unauthorized, "application/json",
              json_error("missing or wrong bearer token"));
      return;
    }
  }
  if (path == "/events" || path == "/metrics") {
    if (ctx.pipeline == nullptr) {
      respond(http::status::not_found, "application/json",
              json_error(std::string(path) +
                         " is served by the daemon (flashpoint run), not by flashpoint serve"));
    } else if (path == "/events" && method != http::verb::post) {
      respond(http::status::method_not_allowed, "application/json", json_error("use POST"));
    } else if (path == "/events") {
      post_events();
    } else if (!read) {
      respond(http::status::method_not_allowed, "application/json", json_error("use GET"));
    } else {
      ctx.pipeline->refresh_gauges();
      respond(http::status::ok, "text/plain; version=0.0.4; charset=utf-8", ctx.metrics->render());
    }
    return;
  }
  auto route = route_api(std::string_view(req_.method_string().data(), req_.method_string().size()),
                         path, query, req_.body(), ctx.api);
  if (!route.matched) {
    respond(http::status::not_found, "application/json",
            json_error("no such path (/, /alerts, /alerts/ID, /tension, /tension.svg, /events, "
                       "/metrics, /healthz)"));
  } else if (route.reply) {
    reply(std::move(*route.reply));
  } else {
    run_job(std::move(route.job));
  }
}

void Session::post_events() {
  auto& ctx = server_->ctx();
  events_ = ctx.pipeline->open_stream(*ctx.feed, 0, 0, true);
  if (!events_) {
    respond(http::status::internal_server_error, "application/json",
            json_error("no decoder for the HTTP feed"));
    return;
  }
  events_->collect_errors(kMaxLineErrors);
  body_pos_ = 0;
  feed_body();
}

// Decodes the body a slice per loop turn, pausing while the queue is full.
void Session::feed_body() {
  if (closed_) return;
  auto& pipeline = *server_->ctx().pipeline;
  const std::string& body = req_.body();
  if (body_pos_ < body.size()) {
    if (!pipeline.accepting()) {
      pipeline.when_accepting(
          [self = shared_from_this()] { guarded("http events", [&] { self->feed_body(); }); });
      return;
    }
    const std::size_t n = std::min(kSlice, body.size() - body_pos_);
    events_->feed(std::string_view(body).substr(body_pos_, n));
    body_pos_ += n;
    asio::post(server_->io(),
               [self = shared_from_this()] { guarded("http events", [&] { self->feed_body(); }); });
    return;
  }
  events_->finish();
  std::string out = "{\"events\":" + std::to_string(events_->events()) +
                    ",\"duplicates\":" + std::to_string(events_->duplicates()) +
                    ",\"rejected\":" + std::to_string(events_->rejected()) + ",\"errors\":[";
  bool first = true;
  for (const auto& e : events_->errors()) {
    if (!first) out += ',';
    first = false;
    out += "{\"line\":" + std::to_string(e.line) + ",\"reason\":";
    store::append_json_string(out, e.reason);
    out += '}';
  }
  out += "],\"errors_truncated\":";
  out += events_->rejected() > events_->errors().size() ? "true" : "false";
  out += "}\n";
  events_.reset();
  req_.body().clear();
  req_.body().shrink_to_fit();
  // Reply once what the body produced is committed.
  pipeline.mark_dirty(true);
  pipeline.when_committed(
      pipeline.next_checkpoint(), [self = shared_from_this(), out = std::move(out)]() mutable {
        guarded("http events",
                [&] { self->respond(http::status::ok, "application/json", std::move(out)); });
      });
}

// Database work runs on the worker thread; the reply comes back to the loop.
void Session::run_job(std::function<HttpReply()> job) {
  auto& io = server_->io();
  const bool queued =
      server_->ctx().worker.submit([self = shared_from_this(), job = std::move(job), &io] {
        HttpReply r;
        try {
          r = job();
        } catch (const std::exception& e) {
          r = HttpReply{500, "application/json", json_error(e.what()), ""};
        }
        asio::post(io, [self, r = std::move(r)]() mutable {
          guarded("http api", [&] { self->reply(std::move(r)); });
        });
      });
  if (!queued) {
    respond(http::status::service_unavailable, "application/json",
            json_error("too many queries in progress; try again"));
  }
}

void Session::reply(HttpReply r) {
  if (!r.disposition.empty()) res_.set(http::field::content_disposition, r.disposition);
  respond(static_cast<http::status>(r.status), r.content_type, std::move(r.body));
}

void Session::respond(http::status status, std::string_view content_type, std::string body,
                      bool close) {
  if (closed_) return;
  const bool keep_alive = !close && !stopping_ && req_.keep_alive();
  res_.version(req_.version() == 10 ? 10 : 11);
  res_.result(status);
  res_.set(http::field::server, "flashpoint");
  res_.set(http::field::content_type, content_type);
  res_.keep_alive(keep_alive);
  if (req_.method() == http::verb::head) {
    res_.content_length(body.size());
    res_.body().clear();
  } else {
    res_.body() = std::move(body);
    res_.prepare_payload();
  }
  if (server_->ctx().metrics != nullptr) {
    server_->ctx().metrics->count_http(static_cast<unsigned>(status));
  }
  stream_.expires_after(std::chrono::milliseconds(server_->ctx().config.timeout_ms));
  http::async_write(stream_, res_,
                    [self = shared_from_this(), keep_alive](const error_code& ec, std::size_t) {
                      guarded("http write", [&] { self->on_write(ec, !keep_alive); });
                    });
}

void Session::on_write(const error_code& ec, bool close_after) {
  res_ = {};
  if (ec || close_after) {
    close();
    return;
  }
  do_read();
}

void Session::close() {
  if (closed_) return;
  closed_ = true;
  error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream_.close();
  server_->remove(this);
}

}  // namespace

std::shared_ptr<Source> make_http_source(asio::io_context& io, HttpContext context) {
  return std::make_shared<Server>(io, std::move(context));
}

}  // namespace flashpoint::daemon
