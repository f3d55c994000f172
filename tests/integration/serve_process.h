#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fhir837::testing {

// A real `fhir837 serve` process on a free port, as an interface engine sees it.
class ServeProcess {
 public:
  ServeProcess(const std::filesystem::path& stateDir) {
    int out[2];
    if (::pipe(out) != 0) return;
    const std::string state = stateDir.string();
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      const int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, STDERR_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      const char* argv[] = {FHIR837_BINARY, "serve",       "--state-dir", state.c_str(),
                            "--listen",     "127.0.0.1:0", nullptr};
      ::execv(argv[0], const_cast<char* const*>(argv));
      ::_exit(127);
    }
    ::close(out[1]);
    stdout_ = out[0];
    firstLine_ = readLine(std::chrono::seconds(60));
    const std::string prefix = "listening on http://127.0.0.1:";
    if (firstLine_.rfind(prefix, 0) == 0) {
      port_ = static_cast<std::uint16_t>(std::stoi(firstLine_.substr(prefix.size())));
    }
  }
  ~ServeProcess() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
    if (stdout_ >= 0) ::close(stdout_);
  }
  std::uint16_t port() const { return port_; }
  const std::string& firstLine() const { return firstLine_; }
  // Sends `sig` and returns the exit status (the signal number + 128 if killed by one).
  int stop(int sig) {
    ::kill(pid_, sig);
    return wait();
  }

 private:
  std::string readLine(std::chrono::seconds deadline) {
    std::string line;
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
      pollfd fd{stdout_, POLLIN, 0};
      if (::poll(&fd, 1, 1000) <= 0) continue;
      char c;
      if (::read(stdout_, &c, 1) != 1) break;
      if (c == '\n') return line;
      line += c;
    }
    return line;
  }
  int wait() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    exited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  pid_t pid_ = -1;
  int stdout_ = -1;
  bool exited_ = false;
  std::uint16_t port_ = 0;
  std::string firstLine_;
};

// One keep-alive HTTP/1.1 connection (Beast).
class FhirClient {
 public:
  using Response = boost::beast::http::response<boost::beast::http::string_body>;
  explicit FhirClient(std::uint16_t port) : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }
  Response send(boost::beast::http::verb verb, const std::string& target,
                const std::string& body = {},
                std::vector<std::pair<std::string, std::string>> headers = {}) {
    boost::beast::http::request<boost::beast::http::string_body> request(verb, target, 11);
    request.set(boost::beast::http::field::host, "localhost");
    for (auto& [name, value] : headers) request.set(name, value);
    request.body() = body;
    request.prepare_payload();
    boost::beast::http::write(socket_, request);
    Response response;
    boost::beast::http::read(socket_, buffer_, response);
    return response;
  }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace fhir837::testing
