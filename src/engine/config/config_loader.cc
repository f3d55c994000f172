#include "engine/config/config_loader.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>

#include "core/decimal.h"
#include "engine/config/toml_reader.h"

namespace fhir837 {

namespace {

// The default cluster instance name.
std::string hostName() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return {};
  return name;
}

namespace fs = std::filesystem;

Result<toml::table> parseTomlFile(const fs::path& file) {
  try {
    return toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    return makeError(ErrorCode::kConfig, std::string(e.description()),
                     file.string() + ":" + std::to_string(e.source().begin.line));
  }
}

fs::path resolveAgainst(const fs::path& base, const std::string& value) {
  fs::path path(value);
  return path.is_absolute() ? path : (base / path).lexically_normal();
}

PostalAddress readAddress(TomlReader reader) {
  PostalAddress address;
  address.line1 = reader.string("line1");
  address.line2 = reader.string("line2");
  address.city = reader.string("city");
  address.state = reader.string("state");
  address.zip = reader.string("zip");
  reader.checkUnknownKeys();
  return address;
}

ProviderSettings readProvider(TomlReader reader) {
  ProviderSettings settings;
  if (!reader.has("name")) {
    reader.checkUnknownKeys();
    return settings;
  }
  settings.present = true;
  Provider& p = settings.provider;
  p.name.isPerson = false;
  p.name.lastOrOrganization = reader.requiredString("name");
  p.npi = reader.requiredString("npi");
  p.ein = reader.string("ein");
  p.taxonomy = reader.string("taxonomy");
  p.address = readAddress(reader.table("address"));
  reader.checkUnknownKeys();
  return settings;
}

void readInterchange(TomlReader reader, TradingPartner& partner,
                     std::size_t& maxClaimsPerTransaction) {
  partner.senderQualifier = reader.string("sender_qualifier", "ZZ");
  partner.senderId = reader.requiredString("sender_id");
  partner.receiverQualifier = reader.string("receiver_qualifier", "ZZ");
  partner.receiverId = reader.requiredString("receiver_id");
  partner.applicationSender = reader.string("application_sender", partner.senderId);
  partner.applicationReceiver = reader.string("application_receiver", partner.receiverId);
  partner.usageIndicator = reader.string("usage", "T");
  if (partner.usageIndicator != "T" && partner.usageIndicator != "P") {
    reader.fail("usage", "must be \"T\" (test) or \"P\" (production)");
  }
  partner.acknowledgmentRequested = reader.boolean("ack_requested", false) ? "1" : "0";
  partner.newlineAfterSegment = reader.boolean("newline_after_segment", true);
  const std::int64_t maxClaims = reader.integer("max_claims_per_transaction", 5000);
  if (maxClaims < 1 || maxClaims > 100000) {
    reader.fail("max_claims_per_transaction", "must be between 1 and 100000");
  }
  maxClaimsPerTransaction = static_cast<std::size_t>(maxClaims);
  reader.checkUnknownKeys();
}

void readSubmitter(TomlReader reader, TradingPartner& partner) {
  partner.submitterName = reader.requiredString("name");
  partner.submitterId = reader.requiredString("id");
  partner.submitterContactName = reader.string("contact_name");
  partner.submitterPhone = reader.string("phone");
  partner.submitterEmail = reader.string("email");
  if (partner.submitterPhone.empty() && partner.submitterEmail.empty()) {
    reader.fail("phone", "1000A PER needs a phone or an email");
  }
  reader.checkUnknownKeys();
}

void readReceiver(TomlReader reader, TradingPartner& partner) {
  partner.receiverName = reader.requiredString("name");
  partner.receiverIdCode = reader.requiredString("id");
  reader.checkUnknownKeys();
}

Result<ClaimForm> parseForm(TomlReader& reader, const std::string& key, ClaimForm fallback) {
  const std::string text = reader.string(key, fallback == ClaimForm::k837P ? "837P" : "837I");
  if (text == "837P") return ClaimForm::k837P;
  if (text == "837I") return ClaimForm::k837I;
  reader.fail(key, "must be \"837P\" or \"837I\"");
  return fallback;
}

bool isDigits(const std::string& text, std::size_t size) {
  return text.size() == size &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

void readBilling(TomlReader billing, AppConfig& config) {
  config.defaultPlaceOfService = billing.string("default_place_of_service", "11");
  config.defaultForm = *parseForm(billing, "default_form", ClaimForm::k837P);
  config.defaultBillingProvider = readProvider(billing.table("provider"));
  if (const toml::node* node = billing.raw("profiles")) {
    const toml::array* array = node->as_array();
    if (!array) {
      billing.fail("profiles", "must be an array of tables ([[billing.profiles]])");
    } else {
      for (std::size_t i = 0; i < array->size(); ++i) {
        const toml::table* table = (*array)[i].as_table();
        TomlReader profile(table, billing.pathOf("profiles[" + std::to_string(i) + "]"));
        BillingProfile p;
        p.form = *parseForm(profile, "form", ClaimForm::k837I);
        p.organizationNpis = profile.strings("organization_npis");
        p.placesOfService = profile.strings("places_of_service");
        profile.checkUnknownKeys();
        if (Status s = profile.status(); !s) return;
        config.billingProfiles.push_back(std::move(p));
      }
    }
  }
  TomlReader inst = billing.table("institutional");
  InstitutionalSettings& i = config.institutional;
  i.typeOfBill = inst.string("type_of_bill", i.typeOfBill);
  if (!isDigits(i.typeOfBill, 4) || i.typeOfBill[1] == '0' || i.typeOfBill[2] == '0') {
    inst.fail("type_of_bill", "must be 4 digits such as \"0131\" (digits 2 and 3 are 1-9)");
  }
  i.patientStatus = inst.string("patient_status", i.patientStatus);
  if (!isDigits(i.patientStatus, 2)) inst.fail("patient_status", "must be a 2-digit NUBC code");
  i.admissionSource = inst.string("admission_source", i.admissionSource);
  if (i.admissionSource.size() != 1)
    inst.fail("admission_source", "must be a 1-character NUBC code");
  i.administrationRevenueCode =
      inst.string("administration_revenue_code", i.administrationRevenueCode);
  i.drugRevenueCode = inst.string("drug_revenue_code", i.drugRevenueCode);
  TomlReader codes = inst.table("revenue_codes");
  for (const std::string& code : codes.keys()) i.revenueCodes[code] = codes.string(code);
  for (const auto& [code, revenue] : i.revenueCodes) {
    if (!isDigits(revenue, 4)) codes.fail(code, "revenue codes are 4 digits");
  }
  if (!isDigits(i.administrationRevenueCode, 4)) {
    inst.fail("administration_revenue_code", "revenue codes are 4 digits");
  }
  if (!isDigits(i.drugRevenueCode, 4)) inst.fail("drug_revenue_code", "revenue codes are 4 digits");
  i.offCampusExceptedLocations = inst.strings("off_campus_excepted_locations");
  i.offCampusNonExceptedLocations = inst.strings("off_campus_non_excepted_locations");
  inst.checkUnknownKeys();
  billing.checkUnknownKeys();
}

void readFees(TomlReader reader, AppConfig& config) {
  for (const std::string& code : reader.keys()) {
    const toml::node* node = reader.raw(code);
    std::optional<std::int64_t> cents;
    if (node->is_string()) cents = parseMoneyCents(*node->value<std::string>());
    if (node->is_integer() && *node->value<std::int64_t>() >= 0 &&
        *node->value<std::int64_t>() <= 99999999) {  // X12 amounts stop at 99999999.99
      cents = *node->value<std::int64_t>() * 100;
    }
    if (!cents) {
      reader.fail(code, "must be an amount such as \"250.00\" (at most 2 decimals)");
      continue;
    }
    config.feeCentsPerUnit[code] = *cents;
  }
}

// [mue]: code = positive units per date of service (MUE-D11).
std::map<std::string, std::int64_t> readMue(TomlReader mue) {
  std::map<std::string, std::int64_t> units;
  for (const std::string& code : mue.keys()) {
    const std::int64_t limit = mue.integer(code, 0);
    if (limit <= 0) mue.fail(code, "must be a positive integer");
    units[code] = limit;
  }
  return units;
}

Result<PayerProfile> readPayerProfile(const fs::path& file) {
  auto parsed = parseTomlFile(file);
  if (!parsed) return parsed.error();
  TomlReader reader(&*parsed, "");
  PayerProfile profile;
  profile.key = file.stem().string();
  profile.name = reader.requiredString("name");
  profile.payerIds = reader.strings("payer_ids");
  profile.namePatterns = reader.strings("name_patterns");
  for (auto& pattern : profile.namePatterns) {
    std::transform(pattern.begin(), pattern.end(), pattern.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  if (profile.payerIds.empty() && profile.namePatterns.empty()) {
    reader.fail("payer_ids", "a payer profile needs payer_ids or name_patterns");
  }
  profile.claimFilingIndicatorProfessional = reader.requiredString("sbr09_professional");
  profile.claimFilingIndicatorInstitutional = reader.requiredString("sbr09_institutional");
  profile.ndcRequired = reader.boolean("ndc_required", true);
  profile.jwJzRequired = reader.boolean("jw_jz_required", false);
  profile.xModifiers = reader.boolean("x_modifiers", true);
  TomlReader addOn = reader.table("add_on");
  profile.addOn.thresholdMinutes = static_cast<int>(addOn.integer("threshold_minutes", 30));
  profile.addOn.strict = addOn.boolean("strict", true);
  if (profile.addOn.thresholdMinutes < 0 || profile.addOn.thresholdMinutes >= 60) {
    addOn.fail("threshold_minutes", "must be between 0 and 59");
  }
  addOn.checkUnknownKeys();
  profile.mueUnits = readMue(reader.table("mue"));
  reader.checkUnknownKeys();
  if (Status status = reader.status(); !status) {
    Error error = status.error();
    error.where = file.string() + ": " + error.where;
    return error;
  }
  return profile;
}

}  // namespace

fs::path defaultConfigPath() {
  if (const char* env = std::getenv("FHIR837_CONFIG"); env && *env) return env;
  std::error_code ec;
  if (fs::exists("config/fhir837.toml", ec)) return fs::absolute("config/fhir837.toml");
  return fs::path(FHIR837_DEFAULT_CONFIG);
}

Result<AppConfig> loadConfig(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    return makeError(ErrorCode::kConfig, "config file not found", file.string());
  }
  auto parsed = parseTomlFile(file);
  if (!parsed) return parsed.error();
  const fs::path absolute = fs::absolute(file, ec);
  if (ec) return makeError(ErrorCode::kConfig, "config path: " + ec.message(), file.string());
  const fs::path base = absolute.parent_path();

  AppConfig config;
  config.sourceFile = absolute;
  TomlReader root(&*parsed, "");
  readInterchange(root.table("interchange"), config.partner, config.maxClaimsPerTransaction);
  readSubmitter(root.table("submitter"), config.partner);
  readReceiver(root.table("receiver"), config.partner);

  TomlReader engine = root.table("engine");
  config.stateDir = resolveAgainst(base, engine.string("state_dir", "../state"));
  config.claimIdPrefix = engine.string("claim_id_prefix");
  config.payerIdSystems = engine.strings("payer_id_systems");
  config.ndcHcpcsTable =
      resolveAgainst(base, engine.string("ndc_hcpcs_table", "../mappings/tables/ndc_hcpcs.csv"));
  config.routeTable =
      resolveAgainst(base, engine.string("route_table", "../mappings/tables/routes.csv"));
  config.drugFamilyTable = resolveAgainst(
      base, engine.string("drug_family_table", "../mappings/tables/drug_admin_family.csv"));
  config.procedureCodeTable = resolveAgainst(
      base, engine.string("procedure_code_table", "../mappings/tables/procedure_codes.csv"));
  if (std::string ncci = engine.string("ncci_ptp_table"); !ncci.empty()) {
    config.ncciPtpTable = resolveAgainst(base, ncci);
  }
  const std::string stopped = engine.string("stopped", "review");
  if (stopped != "review" && stopped != "bill-actual-time") {
    engine.fail("stopped", "must be \"review\" or \"bill-actual-time\"");
  }
  config.stoppedBillsActualTime = stopped == "bill-actual-time";
  const std::int64_t maxHours = engine.integer("max_infusion_hours", 24);
  if (maxHours < 1 || maxHours > 168)
    engine.fail("max_infusion_hours", "must be between 1 and 168");
  config.maxInfusionMinutes = maxHours * 60;
  fs::path payersDir = resolveAgainst(base, engine.string("payers_dir", "payers"));
  engine.checkUnknownKeys();

  readBilling(root.table("billing"), config);

  readFees(root.table("fees"), config);
  config.serve = readServeSettings(root.table("serve"), base);
  config.cluster = readClusterSettings(root.table("cluster"), base, hostName());
  const std::map<std::string, std::int64_t> defaultMue = readMue(root.table("mue"));
  root.checkUnknownKeys();
  if (Status status = root.status(); !status) {
    Error error = status.error();
    error.where = file.string() + ": " + error.where;
    return error;
  }

  if (!fs::is_directory(payersDir, ec)) {
    return makeError(ErrorCode::kConfig, "payers directory not found", payersDir.string());
  }
  std::vector<fs::path> payerFiles;
  fs::directory_iterator entries(payersDir, ec);
  for (; !ec && entries != fs::directory_iterator(); entries.increment(ec)) {
    if (entries->path().extension() == ".toml") payerFiles.push_back(entries->path());
  }
  if (ec) {
    return makeError(ErrorCode::kConfig, "payers directory: " + ec.message(), payersDir.string());
  }
  std::sort(payerFiles.begin(), payerFiles.end());
  for (const auto& payerFile : payerFiles) {
    auto profile = readPayerProfile(payerFile);
    if (!profile) return profile.error();
    // The config's [mue] applies to every payer; a profile's own [mue] overrides code by code.
    profile->mueUnits.insert(defaultMue.begin(), defaultMue.end());
    config.payers.push_back(std::move(*profile));
  }
  if (config.payers.empty()) {
    return makeError(ErrorCode::kConfig, "no payer profiles (*.toml)", payersDir.string());
  }
  return config;
}

}  // namespace fhir837
