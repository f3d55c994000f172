#include <signal.h>

#include <iostream>

#include "app/app_context.h"
#include "app/billing_rules_loader.h"
#include "app/serve_command.h"
#include "app/serve_ops.h"
#include "app/service_notify.h"
#include "core/json_log.h"
#include "engine/config/config_loader.h"
#include "engine/serve/billing_service.h"
#include "engine/serve/daemon_lock.h"
#include "engine/serve/journal.h"
#include "sources/http/admin_queue_handler.h"
#include "sources/http/fhir_rest_handler.h"
#include "sources/http/http_listener.h"
#include "sources/inbox/inbox.h"

namespace fhir837::app {

void addServeCommand(CLI::App& app, ServeArgs& args) {
  CLI::App* serve = app.add_subcommand(
      "serve",
      "Run the FHIR R4 endpoint: resources are journaled durably before they are "
      "acknowledged, and each encounter is billed once it is complete");
  serve->add_option("--config", args.config, "Configuration file (default: config/fhir837.toml)");
  serve->add_option("--state-dir", args.stateDir,
                    "Journal, ledger and control numbers (default: serve.state_dir, else "
                    "engine.state_dir)");
  serve->add_option("--listen", args.listen,
                    "HOST:PORT to listen on; port 0 picks a free one (default: serve.listen)");
  serve->add_option("--outbox", args.outbox,
                    "Where interchanges and report.ndjson are written (default: serve.outbox, "
                    "else <state dir>/outbox)");
}

namespace {

inbox::InboxOptions inboxOptions(const ServeSettings& settings, const http::RestOptions& rest) {
  inbox::InboxOptions options;
  options.dir = settings.inbox;
  options.settle = settings.inboxSettle;
  options.rescan = settings.inboxRescan;
  options.intake.limits = rest.limits;
  options.intake.maxBundleEntries = rest.maxBundleEntries;
  return options;
}

}  // namespace

int runServe(const ServeArgs& args) {
  auto context = loadAppContext(args.config);
  if (!context) return kExitUsage;
  const ServeSettings& settings = context->config.serve;
  std::string host = settings.listenHost;
  std::uint16_t port = settings.listenPort;
  if (!args.listen.empty()) {
    auto address = parseListenAddress(args.listen);
    if (!address) {
      return printError(makeError(ErrorCode::kConfig, "must be HOST:PORT, e.g. 127.0.0.1:0",
                                  "--listen " + args.listen));
    }
    host = address->host;
    port = address->port;
  }
  const std::filesystem::path stateDir = !args.stateDir.empty()
                                             ? std::filesystem::path(args.stateDir)
                                         : !settings.stateDir.empty() ? settings.stateDir
                                                                      : context->config.stateDir;

  // SIGTERM/SIGINT (stop) and SIGHUP (reload) are taken by sigwait below, on this thread: block
  // them before any thread starts, so every thread inherits the mask.
  sigset_t handledSignals;
  sigemptyset(&handledSignals);
  sigaddset(&handledSignals, SIGTERM);
  sigaddset(&handledSignals, SIGINT);
  sigaddset(&handledSignals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &handledSignals, nullptr);

  // One daemon per state dir; a `fhir837 queue` command applying an action meanwhile is waited for.
  auto lock = serve::DaemonLock::acquire(stateDir, std::chrono::seconds(30));
  if (!lock) return printError(lock.error());
  auto ops = prepareServeOps(settings, host);
  if (!ops) return printError(ops.error());
  auto journal = serve::openJournal(stateDir, (*ops)->metrics);
  if (!journal) return printError(journal.error());
  serve::BillingPolicy policy;
  policy.billAfter = settings.billAfter;
  policy.pendingTimeout = settings.pendingTimeout;
  policy.interchangeEvery = settings.interchangeEvery;
  policy.maxBodyBytes = settings.maxBodyBytes;
  policy.keepJournalFor = settings.keepJournalFor;
  policy.pruneEvery = settings.pruneEvery;
  policy.stateDir = stateDir;
  policy.outbox = !args.outbox.empty()       ? std::filesystem::path(args.outbox)
                  : !settings.outbox.empty() ? settings.outbox
                                             : stateDir / "outbox";
  auto initialRules = std::make_shared<serve::BillingRules>();
  initialRules->config = context->config;
  initialRules->tables = std::move(context->tables);
  serve::SharedBillingRules rules = std::move(initialRules);
  auto billing =
      serve::makeBillingService(rules, policy, **journal, *context->clock, (*ops)->metrics);
  if (!billing) return printError(billing.error());
  if (Status started = (*billing)->start(); !started) return printError(started.error());
  http::RestOptions rest;
  rest.maxBodyBytes = settings.maxBodyBytes;
  rest.limits.maxBytes = settings.maxBodyBytes;
  auto handler = http::makeFhirRestHandler(rest, **journal, billing->get(),
                                           http::defaultIntakeProvider(), (*ops)->accessLog);
  http::RequestHandler& router = routeServeOps(**ops, *handler, **journal, policy.outbox);
  // The operator queue for admins. The daemon holds the state dir's lock, so a retry is recorded
  // for the billing thread and answered 202 at once rather than holding an I/O thread.
  serve::QueueServiceOptions queueOptions;
  queueOptions.stateDir = stateDir;
  queueOptions.limits.maxBytes = settings.maxBodyBytes;
  queueOptions.waitForDaemon = std::chrono::milliseconds(0);
  SystemClock
      wallClock;  // ages and action times are the operator's (SOURCE_DATE_EPOCH pins claims)
  auto queue = serve::makeQueueService(queueOptions, wallClock);
  if (!queue) return printError(queue.error());
  auto queueAdmin = http::makeAdminQueueHandler(**queue, wallClock, "/admin/queue");
  (*ops)->router->mountAdmin("/admin/queue", *queueAdmin);
  http::ListenerOptions listen;
  listen.host = host;
  listen.port = port;
  listen.ioThreads = settings.ioThreads;
  listen.maxBodyBytes = settings.maxBodyBytes;
  listen.maxHeaderBytes = settings.maxHeaderBytes;
  listen.requestTimeout = settings.requestTimeout;
  listen.idleTimeout = settings.idleTimeout;
  listen.handshakeTimeout = settings.handshakeTimeout;
  listen.maxConnections = settings.maxConnections;
  listen.tls = {settings.tlsCert, settings.tlsKey, settings.tlsClientCa};
  auto listener = http::makeHttpListener(listen, router);
  if (Status started = listener->start(); !started) return printError(started.error());
  std::unique_ptr<inbox::Inbox> files;
  if (!settings.inbox.empty()) {
    files = inbox::makeInbox(
        inboxOptions(settings, rest), **journal, [service = billing->get()] { service->notify(); },
        *context->clock);
    if (Status started = files->start(); !started) return printError(started.error());
  }
  const std::string shownHost = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  std::cout << "listening on " << (listener->tls() ? "https" : "http") << "://" << shownHost << ":"
            << listener->port() << "/fhir" << std::endl;
  notifyServiceManager("READY=1\nSTATUS=listening on " + shownHost + ":" +
                       std::to_string(listener->port()));
  writeLog(LogLine("info", "started")
               .str("listen", shownHost + ":" + std::to_string(listener->port()))
               .str("authentication", (*ops)->tokens ? "bearer" : "off"));

  const std::filesystem::path configFile =
      args.config.empty() ? defaultConfigPath() : std::filesystem::path(args.config);
  int signal = 0;
  for (;;) {
    sigwait(&handledSignals, &signal);
    if (signal != SIGHUP) break;
    notifyServiceManager("RELOADING=1");
    writeLog(reloadBillingRules(configFile, rules, **billing));
    notifyServiceManager("READY=1");
  }
  notifyServiceManager("STOPPING=1");
  (*ops)->draining = true;  // /readyz says 503 from now on
  writeLog(LogLine("info", "stopping").num("signal", signal));
  // Stop accepting, answer what is in flight (their journal commits finish first), then close.
  listener->stop();
  if (files) files->stop();
  // Bills what is due and writes the outbox before the journal closes.
  (*billing)->stop();
  (*journal)->close();
  writeLog(LogLine("info", "stopped").num("signal", signal));
  return kExitOk;
}

}  // namespace fhir837::app
