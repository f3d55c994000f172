#include <signal.h>

#include <atomic>
#include <iostream>

#include "app/app_context.h"
#include "app/billing_rules_loader.h"
#include "app/serve_command.h"
#include "app/serve_ops.h"
#include "app/serve_setup.h"
#include "app/service_notify.h"
#include "core/json_log.h"
#include "engine/cluster/cluster_node.h"
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

// SIGTERM/SIGINT (stop) and SIGHUP (reload) are taken by sigwait, on the main thread: blocked
// before any thread starts, so every thread inherits the mask.
sigset_t blockHandledSignals() {
  sigset_t handled;
  sigemptyset(&handled);
  sigaddset(&handled, SIGTERM);
  sigaddset(&handled, SIGINT);
  sigaddset(&handled, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &handled, nullptr);
  return handled;
}

// Serves until SIGTERM or SIGINT, reloading the billing rules on each SIGHUP; the stop signal.
int waitForStop(const sigset_t& handled, const std::filesystem::path& configFile,
                serve::SharedBillingRules& rules, serve::BillingService& billing) {
  int signal = 0;
  for (;;) {
    sigwait(&handled, &signal);
    if (signal != SIGHUP) return signal;
    notifyServiceManager("RELOADING=1");
    writeLog(reloadBillingRules(configFile, rules, billing));
    notifyServiceManager("READY=1");
  }
}

void announce(const http::Listener& listener, const std::string& host, bool authenticated) {
  const std::string shownHost = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  const std::string where = shownHost + ":" + std::to_string(listener.port());
  std::cout << "listening on " << (listener.tls() ? "https" : "http") << "://" << where << "/fhir"
            << std::endl;
  notifyServiceManager("READY=1\nSTATUS=listening on " + where);
  writeLog(LogLine("info", "started")
               .str("listen", where)
               .str("authentication", authenticated ? "bearer" : "off"));
}

}  // namespace

int runServe(const ServeArgs& args) {
  auto context = loadAppContext(args.config);
  if (!context) return kExitUsage;
  const ServeSettings& settings = context->config.serve;
  auto place = servePlaceOf(args, context->config);
  if (!place) return printError(place.error());
  const sigset_t handledSignals = blockHandledSignals();

  // One daemon per state dir; a `fhir837 queue` command applying an action meanwhile is waited for.
  auto lock = serve::DaemonLock::acquire(place->stateDir, std::chrono::seconds(30));
  if (!lock) return printError(lock.error());
  auto ops = prepareServeOps(settings, place->host);
  if (!ops) return printError(ops.error());
  auto journal = serve::openJournal(place->stateDir, (*ops)->metrics);
  if (!journal) return printError(journal.error());

  // Cluster mode (issue 12): the listeners write to the stream; this instance applies the
  // partitions it owns to its journal and bills only those, with the cluster's ledger.
  const http::RestOptions rest = restOptionsOf(settings);
  std::atomic<serve::BillingService*> billingToWake{nullptr};
  std::unique_ptr<cluster::ClusterNode> node;
  if (context->config.cluster.enabled()) {
    cluster::ClusterNodeOptions clusterOptions;
    clusterOptions.settings = context->config.cluster;
    clusterOptions.stateDir = place->stateDir;
    clusterOptions.limits = rest.limits;
    clusterOptions.applied = [&billingToWake] {
      if (serve::BillingService* service = billingToWake.load()) service->notify();
    };
    auto started = cluster::startClusterNode(**journal, clusterOptions);
    if (!started) return printError(started.error());
    node = std::move(*started);
  }
  serve::Journal& intake = node ? node->intake() : **journal;

  auto initialRules = std::make_shared<serve::BillingRules>();
  initialRules->config = context->config;
  initialRules->tables = std::move(context->tables);
  serve::SharedBillingRules rules = std::move(initialRules);
  serve::BillingPolicy policy = billingPolicyOf(settings, *place);
  if (node) {
    policy.billsPatient = [&node](const std::string& patientKey) {
      return node->billsPatient(patientKey);
    };
    policy.sharedLedger = [&node](StateStore& local) { return node->openLedger(local); };
  }
  auto billing =
      serve::makeBillingService(rules, policy, **journal, *context->clock, (*ops)->metrics);
  if (!billing) return printError(billing.error());
  billingToWake = billing->get();
  if (Status started = (*billing)->start(); !started) return printError(started.error());

  auto handler = http::makeFhirRestHandler(rest, intake, billing->get(),
                                           http::defaultIntakeProvider(), (*ops)->accessLog);
  std::vector<http::ReadinessCheck> clusterChecks;
  if (node) {
    clusterChecks.push_back(
        {"cluster", [&node]() -> std::optional<std::string> { return node->unready(); }});
  }
  http::RequestHandler& router =
      routeServeOps(**ops, *handler, **journal, place->outbox, std::move(clusterChecks));
  // The operator queue for admins. The daemon holds the state dir's lock, so a retry is recorded
  // for the billing thread and answered 202 at once rather than holding an I/O thread.
  serve::QueueServiceOptions queueOptions;
  queueOptions.stateDir = place->stateDir;
  queueOptions.limits = rest.limits;
  queueOptions.waitForDaemon = std::chrono::milliseconds(0);
  SystemClock
      wallClock;  // ages and action times are the operator's (SOURCE_DATE_EPOCH pins claims)
  auto queue = serve::makeQueueService(queueOptions, wallClock);
  if (!queue) return printError(queue.error());
  auto queueAdmin = http::makeAdminQueueHandler(**queue, wallClock, "/admin/queue");
  (*ops)->router->mountAdmin("/admin/queue", *queueAdmin);

  auto listener = http::makeHttpListener(listenerOptionsOf(settings, *place), router);
  if (Status started = listener->start(); !started) return printError(started.error());
  std::unique_ptr<inbox::Inbox> files;
  if (!settings.inbox.empty()) {
    files = inbox::makeInbox(
        inboxOptionsOf(settings, rest), intake, [service = billing->get()] { service->notify(); },
        *context->clock);
    if (Status started = files->start(); !started) return printError(started.error());
  }
  announce(*listener, place->host, (*ops)->tokens.has_value());

  const std::filesystem::path configFile =
      args.config.empty() ? defaultConfigPath() : std::filesystem::path(args.config);
  const int signal = waitForStop(handledSignals, configFile, rules, **billing);
  notifyServiceManager("STOPPING=1");
  (*ops)->draining = true;  // /readyz says 503 from now on
  writeLog(LogLine("info", "stopping").num("signal", signal));
  // Stop accepting, answer what is in flight (their journal commits finish first), then close.
  listener->stop();
  if (files) files->stop();
  if (node) {
    node->stopIntake();  // what the listeners queued reaches the stream
    node->stop();        // no partition is applied after this
  }
  // Bills what is due and writes the outbox before the journal closes.
  (*billing)->stop();
  billingToWake = nullptr;
  (*journal)->close();
  writeLog(LogLine("info", "stopped").num("signal", signal));
  return kExitOk;
}

}  // namespace fhir837::app
