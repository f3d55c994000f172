#include "engine/config/config_loader.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "engine/config/serve_settings.h"
#include "engine/config/table_loader.h"
#include "support/test_paths.h"

namespace fhir837 {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::writeFile;

TEST(ConfigLoaderTest, ShippedConfigLoads) {
  const fs::path file = testing::sourceDir() / "config/fhir837.toml";
  auto config = loadConfig(file);
  ASSERT_TRUE(config) << config.error().describe();
  ASSERT_EQ(config->payers.size(), 5u);
  std::vector<std::string> keys;
  for (const auto& p : config->payers) keys.push_back(p.key);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"aetna", "bcbs", "cigna", "medicare", "unitedhealthcare"}));
  const PayerProfile& medicare = config->payers[3];
  EXPECT_EQ(medicare.name, "MEDICARE");
  EXPECT_TRUE(medicare.payerIds.empty());
  EXPECT_EQ(medicare.namePatterns, (std::vector<std::string>{"medicare", "centers for medicare"}));
  EXPECT_EQ(medicare.claimFilingIndicatorProfessional, "MB");
  EXPECT_EQ(medicare.claimFilingIndicatorInstitutional, "MA");
  EXPECT_TRUE(medicare.jwJzRequired);
  EXPECT_FALSE(medicare.ndcRequired);
  EXPECT_EQ(medicare.addOn.thresholdMinutes, 30);
  EXPECT_TRUE(medicare.addOn.strict);
  // The config's [mue] defaults (96370 = 3) under the profile's own.
  EXPECT_EQ(medicare.mueUnits,
            (std::map<std::string, std::int64_t>{{"96369", 1}, {"96370", 3}, {"96371", 1}}));
  EXPECT_EQ(config->payers[0].mueUnits, medicare.mueUnits);
  EXPECT_EQ(config->maxInfusionMinutes, 24 * 60);
  EXPECT_TRUE(config->payers[4].ndcRequired);
  EXPECT_EQ(config->payers[4].payerIds, (std::vector<std::string>{"87726"}));

  EXPECT_EQ(config->partner.senderId, "SUB12345");
  EXPECT_EQ(config->partner.receiverId, "RCV67890");
  EXPECT_EQ(config->partner.usageIndicator, "T");
  EXPECT_EQ(config->partner.acknowledgmentRequested, "0");
  EXPECT_EQ(config->partner.submitterPhone, "2175550100");
  EXPECT_EQ(config->partner.receiverIdCode, "RCV67890");
  EXPECT_EQ(config->payerIdSystems, (std::vector<std::string>{"urn:fhir837:payer-id"}));
  EXPECT_EQ(config->defaultPlaceOfService, "11");
  EXPECT_FALSE(config->defaultBillingProvider.present);
  EXPECT_FALSE(config->stoppedBillsActualTime);
  EXPECT_EQ(config->feeCentsPerUnit.at("96369"), 25000);
  EXPECT_EQ(config->feeCentsPerUnit.at("J1569"), 41000);
  const fs::path root = fs::absolute(testing::sourceDir()).lexically_normal();
  EXPECT_EQ(config->ndcHcpcsTable, root / "mappings/tables/ndc_hcpcs.csv");
  EXPECT_EQ(config->routeTable, root / "mappings/tables/routes.csv");
  EXPECT_EQ(config->drugFamilyTable, root / "mappings/tables/drug_admin_family.csv");
  EXPECT_EQ(config->stateDir, root / "state");

  auto tables = loadTables(*config);
  ASSERT_TRUE(tables) << tables.error().describe();
  EXPECT_NE(tables->ndc.find("12345678901", "20240305"), nullptr);
}

// A minimal valid config in a temp dir; each test breaks one thing.
class TempConfig {
 public:
  TempConfig() {
    main_ =
        "[interchange]\n"
        "sender_id = \"SUB1\"\n"
        "receiver_id = \"RCV1\"\n"
        "[submitter]\n"
        "name = \"SUBMITTER\"\n"
        "id = \"S1\"\n"
        "phone = \"2175550100\"\n"
        "[receiver]\n"
        "name = \"RECEIVER\"\n"
        "id = \"R1\"\n"
        "[engine]\n"
        "payers_dir = \"payers\"\n"
        "[fees]\n"
        "\"96369\" = \"250.00\"\n";
    payer_ =
        "name = \"ACME\"\n"
        "payer_ids = [\"11111\"]\n"
        "sbr09_professional = \"CI\"\n"
        "sbr09_institutional = \"CI\"\n";
  }
  std::string& main() { return main_; }
  std::string& payer() { return payer_; }
  fs::path file() const { return dir_.path() / "fhir837.toml"; }
  fs::path payerFile() const { return dir_.path() / "payers/acme.toml"; }
  std::string where(const std::string& key) const { return file().string() + ": " + key; }

  Result<AppConfig> load(bool withPayers = true) {
    writeFile(file(), main_);
    if (withPayers) writeFile(payerFile(), payer_);
    return loadConfig(file());
  }

 private:
  TempDir dir_;
  std::string main_, payer_;
};

void expectConfigError(const Result<AppConfig>& result, const std::string& message,
                       const std::string& where) {
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), makeError(ErrorCode::kConfig, message, where));
}

TEST(ConfigLoaderTest, MinimalConfigDefaults) {
  TempConfig config;
  config.main() += "\"J1559\" = 85\n";
  auto loaded = config.load();
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_EQ(loaded->partner.senderQualifier, "ZZ");
  EXPECT_EQ(loaded->partner.applicationSender, "SUB1");
  EXPECT_EQ(loaded->partner.applicationReceiver, "RCV1");
  EXPECT_EQ(loaded->partner.usageIndicator, "T");
  EXPECT_TRUE(loaded->partner.newlineAfterSegment);
  EXPECT_EQ(loaded->feeCentsPerUnit.at("J1559"), 8500);
  ASSERT_EQ(loaded->payers.size(), 1u);
  EXPECT_EQ(loaded->payers[0].key, "acme");
  EXPECT_TRUE(loaded->payers[0].ndcRequired);
  EXPECT_FALSE(loaded->payers[0].jwJzRequired);
  EXPECT_EQ(loaded->stateDir, (config.file().parent_path() / "../state").lexically_normal());
}

TEST(ConfigLoaderTest, ServeSectionDefaultsAndValues) {
  TempConfig defaults;
  auto loaded = defaults.load();
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_EQ(loaded->serve.listenHost, "127.0.0.1");
  EXPECT_EQ(loaded->serve.listenPort, 8080);
  EXPECT_TRUE(loaded->serve.stateDir.empty());
  EXPECT_TRUE(loaded->serve.outbox.empty());
  EXPECT_EQ(loaded->serve.ioThreads, 0u);
  EXPECT_EQ(loaded->serve.maxBodyBytes, 16u << 20);
  EXPECT_EQ(loaded->serve.billAfter, std::chrono::seconds(3600));
  EXPECT_EQ(loaded->serve.pendingTimeout, std::chrono::seconds(86400));
  EXPECT_EQ(loaded->serve.interchangeEvery, std::chrono::seconds(0));
  EXPECT_TRUE(loaded->serve.tlsCert.empty());
  EXPECT_EQ(loaded->serve.maxHeaderBytes, 64u << 10);
  EXPECT_EQ(loaded->serve.requestTimeout, std::chrono::seconds(30));
  EXPECT_EQ(loaded->serve.idleTimeout, std::chrono::seconds(60));
  EXPECT_EQ(loaded->serve.handshakeTimeout, std::chrono::seconds(10));
  EXPECT_EQ(loaded->serve.maxConnections, 1024u);

  TempConfig set;
  set.main() +=
      "[serve]\nlisten = \"0.0.0.0:0\"\nstate_dir = \"st\"\noutbox = \"/var/out\"\n"
      "io_threads = 4\nmax_body = \"2MiB\"\nbill_after = 0\npending_timeout = \"2h\"\n"
      "interchange_every = \"15m\"\n"
      "tls_cert = \"tls/c.pem\"\ntls_key = \"/k.pem\"\ntls_client_ca = \"ca.pem\"\n"
      "max_header = \"8KiB\"\nrequest_timeout = 5\nidle_timeout = \"2m\"\n"
      "handshake_timeout = \"3s\"\nmax_connections = 64\n";
  loaded = set.load();
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_EQ(loaded->serve.listenHost, "0.0.0.0");
  EXPECT_EQ(loaded->serve.listenPort, 0);
  EXPECT_EQ(loaded->serve.stateDir, (set.file().parent_path() / "st").lexically_normal());
  EXPECT_EQ(loaded->serve.outbox, fs::path("/var/out"));
  EXPECT_EQ(loaded->serve.ioThreads, 4u);
  EXPECT_EQ(loaded->serve.maxBodyBytes, 2u << 20);
  EXPECT_EQ(loaded->serve.billAfter, std::chrono::seconds(0));
  EXPECT_EQ(loaded->serve.pendingTimeout, std::chrono::seconds(7200));
  EXPECT_EQ(loaded->serve.interchangeEvery, std::chrono::seconds(900));
  EXPECT_EQ(loaded->serve.tlsCert, (set.file().parent_path() / "tls/c.pem").lexically_normal());
  EXPECT_EQ(loaded->serve.tlsKey, fs::path("/k.pem"));
  EXPECT_EQ(loaded->serve.tlsClientCa, (set.file().parent_path() / "ca.pem").lexically_normal());
  EXPECT_EQ(loaded->serve.maxHeaderBytes, 8u << 10);
  EXPECT_EQ(loaded->serve.requestTimeout, std::chrono::seconds(5));
  EXPECT_EQ(loaded->serve.idleTimeout, std::chrono::seconds(120));
  EXPECT_EQ(loaded->serve.handshakeTimeout, std::chrono::seconds(3));
  EXPECT_EQ(loaded->serve.maxConnections, 64u);
}

TEST(ConfigLoaderTest, ServeSectionErrorsNameTheKey) {
  struct Case {
    std::string line, key, message;
  };
  const std::vector<Case> cases = {
      {"listen = \"localhost\"", "serve.listen", "must be HOST:PORT, e.g. \"127.0.0.1:8080\""},
      {"listen = \"h:65536\"", "serve.listen", "must be HOST:PORT, e.g. \"127.0.0.1:8080\""},
      {"io_threads = -1", "serve.io_threads", "must be between 0 and 256"},
      {"max_body = \"0\"", "serve.max_body", "must be a size such as \"16MiB\" (1 B to 4 GiB)"},
      {"max_body = \"12MB\"", "serve.max_body", "must be a size such as \"16MiB\" (1 B to 4 GiB)"},
      {"bill_after = \"soon\"", "serve.bill_after",
       "must be a duration such as \"90s\", \"15m\", \"2h\" or \"0\""},
      {"bill_after = -5", "serve.bill_after", "must not be negative"},
      {"pending_timeout = \"-1s\"", "serve.pending_timeout",
       "must be a duration such as \"90s\", \"15m\", \"2h\" or \"0\""},
      {"listen_port = 8080", "serve.listen_port", "unknown key"},
      {"tls_cert = \"c.pem\"", "serve.tls_key", "must be set when tls_cert is"},
      {"tls_key = \"k.pem\"", "serve.tls_cert", "must be set when tls_key is"},
      {"tls_client_ca = \"ca.pem\"", "serve.tls_client_ca",
       "needs tls_cert and tls_key (mutual TLS is TLS)"},
      {"max_header = \"100B\"", "serve.max_header",
       "must be a size such as \"64KiB\" (1 KiB to 1 MiB)"},
      {"request_timeout = 0", "serve.request_timeout", "must be at least 1s"},
      {"idle_timeout = \"0s\"", "serve.idle_timeout", "must be at least 1s"},
      {"handshake_timeout = \"fast\"", "serve.handshake_timeout",
       "must be a duration such as \"90s\", \"15m\", \"2h\" or \"0\""},
      {"max_connections = 0", "serve.max_connections", "must be between 1 and 1000000"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.line);
    TempConfig config;
    config.main() += "[serve]\n" + c.line + "\n";
    expectConfigError(config.load(), c.message, config.where(c.key));
  }
}

TEST(ConfigLoaderTest, ServeRetentionKeys) {
  TempConfig unset;
  auto loaded = unset.load();
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_FALSE(loaded->serve.keepJournalFor);  // kept forever
  EXPECT_EQ(loaded->serve.pruneEvery, std::chrono::seconds(3600));
  TempConfig set;
  set.main() += "[serve]\nkeep_journal_for = \"90d\"\nprune_every = \"10m\"\n";
  loaded = set.load();
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_EQ(loaded->serve.keepJournalFor, std::chrono::seconds(90 * 86400));
  EXPECT_EQ(loaded->serve.pruneEvery, std::chrono::seconds(600));
  TempConfig zero;
  zero.main() += "[serve]\nkeep_journal_for = 0\n";
  loaded = zero.load();
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_EQ(loaded->serve.keepJournalFor, std::chrono::seconds(0));
  for (const auto& [line, key, message] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"keep_journal_for = \"a while\"", "serve.keep_journal_for",
            "must be a duration such as \"90s\", \"15m\", \"2h\" or \"0\""},
           {"prune_every = 0", "serve.prune_every", "must be at least 1s"}}) {
    SCOPED_TRACE(line);
    TempConfig config;
    config.main() += "[serve]\n" + line + "\n";
    expectConfigError(config.load(), message, config.where(key));
  }
}

TEST(ServeSettingsTest, ListenAddresses) {
  auto v4 = parseListenAddress("127.0.0.1:0");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 0);
  auto v6 = parseListenAddress("[::1]:8443");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 8443);
  auto any = parseListenAddress(":80");
  ASSERT_TRUE(any);
  EXPECT_EQ(any->host, "0.0.0.0");
  for (const char* bad : {"", "host", "h:", "h:x", "h:-1", "h:70000", "a b:1", "h:1 "}) {
    EXPECT_FALSE(parseListenAddress(bad)) << bad;
  }
}

TEST(ServeSettingsTest, DurationsAndSizes) {
  EXPECT_EQ(parseDuration("0"), std::chrono::seconds(0));
  EXPECT_EQ(parseDuration("90"), std::chrono::seconds(90));
  EXPECT_EQ(parseDuration("90s"), std::chrono::seconds(90));
  EXPECT_EQ(parseDuration("15m"), std::chrono::seconds(900));
  EXPECT_EQ(parseDuration("2h"), std::chrono::seconds(7200));
  EXPECT_EQ(parseDuration("1d"), std::chrono::seconds(86400));
  for (const char* bad : {"", "s", "1x", "1.5h", "-1", "99999999999d", "18446744073709551616"}) {
    EXPECT_FALSE(parseDuration(bad)) << bad;
  }
  EXPECT_EQ(parseByteSize("1"), 1u);
  EXPECT_EQ(parseByteSize("10B"), 10u);
  EXPECT_EQ(parseByteSize("512KiB"), 512u << 10);
  EXPECT_EQ(parseByteSize("16MiB"), 16u << 20);
  EXPECT_EQ(parseByteSize("4GiB"), std::size_t(4) << 30);
  for (const char* bad : {"", "0", "5GiB", "1MB", "MiB", "1.5MiB"}) {
    EXPECT_FALSE(parseByteSize(bad)) << bad;
  }
}

TEST(ConfigLoaderTest, UnknownKeyNamesItsPath) {
  TempConfig config;
  config.main() += "[billing]\ndefault_place_of_servce = \"11\"\n";
  expectConfigError(config.load(), "unknown key", config.where("billing.default_place_of_servce"));
  TempConfig top;
  top.main() = "colour = \"blue\"\n" + top.main();
  expectConfigError(top.load(), "unknown key", top.where("colour"));
  TempConfig nested;
  nested.main() += "[billing.provider]\nname = \"X\"\nnpi = \"1234567893\"\nfax = \"1\"\n";
  expectConfigError(nested.load(), "unknown key", nested.where("billing.provider.fax"));
}

TEST(ConfigLoaderTest, WrongTypes) {
  TempConfig usage;
  usage.main() = "[interchange]\nsender_id = \"S\"\nreceiver_id = \"R\"\nusage = 5\n" +
                 usage.main().substr(usage.main().find("[submitter]"));
  expectConfigError(usage.load(), "must be a string", usage.where("interchange.usage"));

  TempConfig flag;
  flag.main() = "[interchange]\nsender_id = \"S\"\nreceiver_id = \"R\"\nack_requested = \"yes\"\n" +
                flag.main().substr(flag.main().find("[submitter]"));
  expectConfigError(flag.load(), "must be true or false", flag.where("interchange.ack_requested"));

  TempConfig list;
  list.main() = std::string(list.main())
                    .replace(list.main().find("payers_dir"), std::string("payers_dir").size(),
                             "payer_id_systems = \"urn:x\"\npayers_dir");
  expectConfigError(list.load(), "must be an array of strings",
                    list.where("engine.payer_id_systems"));

  TempConfig table;
  table.main() = "billing = 5\n" + table.main();
  expectConfigError(table.load(), "must be a table", table.where("billing"));
}

TEST(ConfigLoaderTest, MissingRequiredValue) {
  TempConfig config;
  config.main().replace(config.main().find("id = \"R1\"\n"), std::string("id = \"R1\"\n").size(),
                        "");
  expectConfigError(config.load(), "is required", config.where("receiver.id"));
  TempConfig empty;
  empty.main().replace(empty.main().find("\"SUBMITTER\""), std::string("\"SUBMITTER\"").size(),
                       "\"\"");
  expectConfigError(empty.load(), "must not be empty", empty.where("submitter.name"));
  TempConfig contact;
  contact.main().replace(contact.main().find("phone = \"2175550100\"\n"),
                         std::string("phone = \"2175550100\"\n").size(), "");
  expectConfigError(contact.load(), "1000A PER needs a phone or an email",
                    contact.where("submitter.phone"));
}

TEST(ConfigLoaderTest, FeesNeedAtMostTwoDecimals) {
  for (const char* fee : {"\"1.234\"", "\"-5\"", "\"abc\"", "-5", "1.5", "true"}) {
    TempConfig config;
    config.main() += std::string("\"J1559\" = ") + fee + "\n";
    SCOPED_TRACE(fee);
    expectConfigError(config.load(), "must be an amount such as \"250.00\" (at most 2 decimals)",
                      config.where("fees.J1559"));
  }
}

// BUG: config_loader.cc readFees() multiplies an integer fee by 100 without an overflow check:
// `fees.J1559 = 92233720368547759` is signed overflow (UB; UBSan aborts the process). Should be
// "must be an amount ..." like any other out-of-range fee.
TEST(ConfigLoaderTest, HugeIntegerFeeIsAnErrorNotOverflow) {
  TempConfig config;
  config.main() += "\"J1559\" = 92233720368547759\n";
  expectConfigError(config.load(), "must be an amount such as \"250.00\" (at most 2 decimals)",
                    config.where("fees.J1559"));
}

TEST(ConfigLoaderTest, UsageMustBeTestOrProduction) {
  TempConfig config;
  config.main() = "[interchange]\nsender_id = \"S\"\nreceiver_id = \"R\"\nusage = \"X\"\n" +
                  config.main().substr(config.main().find("[submitter]"));
  expectConfigError(config.load(), "must be \"T\" (test) or \"P\" (production)",
                    config.where("interchange.usage"));
}

TEST(ConfigLoaderTest, StoppedPolicy) {
  TempConfig bill;
  bill.main().replace(bill.main().find("payers_dir"), std::string("payers_dir").size(),
                      "stopped = \"bill-actual-time\"\npayers_dir");
  auto loaded = bill.load();
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_TRUE(loaded->stoppedBillsActualTime);
  TempConfig bad;
  bad.main().replace(bad.main().find("payers_dir"), std::string("payers_dir").size(),
                     "stopped = \"bill\"\npayers_dir");
  expectConfigError(bad.load(), "must be \"review\" or \"bill-actual-time\"",
                    bad.where("engine.stopped"));
}

// Issue 9 §5: the duration ceiling and the MUE caps are configuration, checked strictly.
TEST(ConfigLoaderTest, MaxInfusionHoursAndMueDefaults) {
  TempConfig config;
  config.main().replace(config.main().find("payers_dir"), std::string("payers_dir").size(),
                        "max_infusion_hours = 12\npayers_dir");
  config.main() += "[mue]\n\"96369\" = 1\n\"96370\" = 3\n";
  config.payer() += "[mue]\n\"96370\" = 5\n\"96372\" = 2\n";
  auto loaded = config.load();
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_EQ(loaded->maxInfusionMinutes, 12 * 60);
  EXPECT_EQ(loaded->payers[0].mueUnits,
            (std::map<std::string, std::int64_t>{{"96369", 1}, {"96370", 5}, {"96372", 2}}));

  TempConfig defaults;
  auto plain = defaults.load();
  ASSERT_TRUE(plain) << plain.error().describe();
  EXPECT_EQ(plain->maxInfusionMinutes, 24 * 60);
  EXPECT_TRUE(plain->payers[0].mueUnits.empty());

  for (const char* value : {"0", "169", "\"24\""}) {
    TempConfig bad;
    bad.main().replace(bad.main().find("payers_dir"), std::string("payers_dir").size(),
                       std::string("max_infusion_hours = ") + value + "\npayers_dir");
    auto result = bad.load();
    ASSERT_FALSE(result) << value;
    EXPECT_EQ(result.error().where, bad.where("engine.max_infusion_hours")) << value;
  }
  TempConfig zero;
  zero.main() += "[mue]\n\"96370\" = 0\n";
  expectConfigError(zero.load(), "must be a positive integer", zero.where("mue.96370"));
}

TEST(ConfigLoaderTest, FileAndDirectoryErrors) {
  TempConfig noPayers;
  auto result = noPayers.load(/*withPayers=*/false);
  expectConfigError(result, "payers directory not found",
                    (noPayers.file().parent_path() / "payers").string());

  TempConfig emptyPayers;
  ASSERT_TRUE(emptyPayers.load());
  fs::remove(emptyPayers.payerFile());
  writeFile(emptyPayers.file().parent_path() / "payers/README.md", "not a profile");
  expectConfigError(loadConfig(emptyPayers.file()), "no payer profiles (*.toml)",
                    (emptyPayers.file().parent_path() / "payers").string());

  TempDir dir;
  expectConfigError(loadConfig(dir.path() / "absent.toml"), "config file not found",
                    (dir.path() / "absent.toml").string());

  TempConfig syntax;
  syntax.main() += "\"J1559\" = \n";
  auto bad = syntax.load();
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kConfig);
  EXPECT_EQ(bad.error().where, syntax.file().string() + ":15");
}

TEST(ConfigLoaderTest, PayerProfileErrorsNameFileAndKey) {
  const auto payerWhere = [](const TempConfig& c, const std::string& key) {
    return c.payerFile().string() + ": " + key;
  };
  TempConfig unknown;
  unknown.payer() += "jw_jz = true\n";
  expectConfigError(unknown.load(), "unknown key", payerWhere(unknown, "jw_jz"));

  TempConfig noIds;
  noIds.payer().replace(noIds.payer().find("payer_ids = [\"11111\"]\n"),
                        std::string("payer_ids = [\"11111\"]\n").size(), "");
  expectConfigError(noIds.load(), "a payer profile needs payer_ids or name_patterns",
                    payerWhere(noIds, "payer_ids"));

  TempConfig threshold;
  threshold.payer() += "[add_on]\nthreshold_minutes = 60\n";
  expectConfigError(threshold.load(), "must be between 0 and 59",
                    payerWhere(threshold, "add_on.threshold_minutes"));

  TempConfig mue;
  mue.payer() += "[mue]\n\"96369\" = 0\n";
  expectConfigError(mue.load(), "must be a positive integer", payerWhere(mue, "mue.96369"));

  TempConfig sbr;
  sbr.payer().replace(sbr.payer().find("sbr09_institutional"),
                      std::string("sbr09_institutional").size(), "sbr09_inst");
  expectConfigError(sbr.load(), "is required", payerWhere(sbr, "sbr09_institutional"));
}

TEST(ServeSettingsTest, TokensAndAllowUnauthenticated) {
  TempConfig defaults;
  auto loaded = defaults.load();
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_TRUE(loaded->serve.tokens.empty());
  EXPECT_FALSE(loaded->serve.allowUnauthenticated);

  TempConfig set;
  set.main() += "[serve]\ntokens = \"secrets/tokens\"\nallow_unauthenticated = true\n";
  loaded = set.load();
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_EQ(loaded->serve.tokens, (set.file().parent_path() / "secrets/tokens").lexically_normal());
  EXPECT_TRUE(loaded->serve.allowUnauthenticated);

  TempConfig wrong;
  wrong.main() += "[serve]\nallow_unauthenticated = \"yes\"\n";
  expectConfigError(wrong.load(), "must be true or false",
                    wrong.where("serve.allow_unauthenticated"));
}

TEST(ServeSettingsTest, LoopbackHosts) {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1", "localhost"}) {
    EXPECT_TRUE(isLoopbackHost(host)) << host;
  }
  for (const char* host : {"0.0.0.0", "::", "10.0.0.5", "128.0.0.1", "localhost.example.org",
                           "127.example.org", "::ffff:127.0.0.1x"}) {
    EXPECT_FALSE(isLoopbackHost(host)) << host;
  }
}

}  // namespace
}  // namespace fhir837
