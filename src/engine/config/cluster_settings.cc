#include "engine/config/cluster_settings.h"

#include <algorithm>
#include <cctype>

#include "engine/config/serve_settings.h"
#include "engine/config/toml_reader.h"

namespace fhir837 {

namespace {

// Instance names become NATS KV keys and file names: a closed alphabet keeps them both.
bool isInstanceName(const std::string& name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

std::string instanceNameOf(const std::string& hostName) {
  std::string name;
  for (char c : hostName) {
    if (name.size() == 64) break;
    name += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
  }
  return name.empty() ? "fhir837" : name;
}

}  // namespace

ClusterSettings readClusterSettings(TomlReader cluster, const std::filesystem::path& base,
                                    const std::string& hostName) {
  ClusterSettings settings;
  auto resolve = [&](const std::string& value) -> std::filesystem::path {
    if (value.empty()) return {};
    std::filesystem::path path(value);
    return path.is_absolute() ? path : (base / path).lexically_normal();
  };
  const toml::node* nats = cluster.raw("nats");
  if (nats != nullptr && nats->is_string()) {
    settings.natsUrls = {nats->value_or(std::string())};
  } else if (nats != nullptr) {
    settings.natsUrls = cluster.strings("nats");
  }
  if (nats != nullptr && settings.natsUrls.empty()) {
    cluster.fail("nats", "must list at least one URL (remove [cluster] for a single-node daemon)");
  }
  for (const std::string& url : settings.natsUrls) {
    if (!url.starts_with("nats://") && !url.starts_with("tls://")) {
      cluster.fail("nats", "must list URLs such as \"nats://10.0.0.5:4222\" (got \"" + url + "\")");
      break;
    }
  }
  settings.instance = cluster.string("instance", instanceNameOf(hostName));
  if (!isInstanceName(settings.instance)) {
    cluster.fail("instance", "must be 1 to 64 letters, digits, '-' or '_'");
  }
  const std::int64_t partitions = cluster.integer("partitions", 64);
  if (partitions < 1 || partitions > 1024) cluster.fail("partitions", "must be between 1 and 1024");
  settings.partitions = static_cast<int>(std::clamp<std::int64_t>(partitions, 1, 1024));
  const std::int64_t replicas = cluster.integer("replicas", 3);
  if (replicas != 1 && replicas != 3 && replicas != 5)
    cluster.fail("replicas", "must be 1, 3 or 5");
  settings.replicas = static_cast<int>(replicas);
  auto duration = [&](const char* key, std::chrono::seconds fallback, std::int64_t least) {
    // Integer seconds or a string with a unit, as in [serve].
    std::optional<std::chrono::seconds> parsed;
    if (const toml::node* node = cluster.raw(key); node != nullptr && node->is_integer()) {
      parsed = std::chrono::seconds(node->value_or<std::int64_t>(0));
    } else {
      const std::string text = cluster.string(key);
      if (text.empty()) return fallback;
      parsed = parseDuration(text);
    }
    if (!parsed || parsed->count() < least || parsed->count() > 3600) {
      cluster.fail(key,
                   "must be a duration from " + std::to_string(least) + "s to 1h, such as \"10s\"");
      return fallback;
    }
    return *parsed;
  };
  settings.memberTtl = duration("member_ttl", settings.memberTtl, 2);
  settings.requestTimeout = duration("request_timeout", settings.requestTimeout, 1);
  settings.credentials = resolve(cluster.string("credentials"));
  settings.tlsCa = resolve(cluster.string("tls_ca"));
  settings.tlsCert = resolve(cluster.string("tls_cert"));
  settings.tlsKey = resolve(cluster.string("tls_key"));
  if (settings.tlsCert.empty() != settings.tlsKey.empty()) {
    cluster.fail(settings.tlsCert.empty() ? "tls_cert" : "tls_key",
                 "tls_cert and tls_key go together");
  }
  cluster.checkUnknownKeys();
  return settings;
}

}  // namespace fhir837
