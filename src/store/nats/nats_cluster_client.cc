#include "store/nats/nats_cluster_client.h"

#include <nats/nats.h>

#include <utility>

namespace fhir837 {

namespace {

// libnats' status text plus the thread's last error detail ("(js.c:535): wrong last
// sequence: 1"), which names the server's reason where the status alone says only "Error".
Error natsError(const std::string& what, natsStatus status) {
  std::string message = what + ": " + natsStatus_GetText(status);
  natsStatus last = NATS_OK;
  const char* detail = nats_GetLastError(&last);
  if (detail != nullptr && *detail != '\0') {
    message += std::string(" (") + detail + ")";
  }
  return makeError(ErrorCode::kIo, std::move(message), "nats");
}

class NatsBucket final : public CreateOnlyBucket {
 public:
  NatsBucket(kvStore* kv, jsCtx* js, const std::string& name)
      : kv_(kv), js_(js), subjectPrefix_("$KV." + name + ".") {}
  ~NatsBucket() override { kvStore_Destroy(kv_); }

  // Not kvStore_Create: on a refused create, libnats 3.4.1 reads the key back to tell a tombstone
  // from a live value, and against an R3 bucket that read can miss the concurrent winner's write
  // (not applied yet on the leader), so it returns NATS_ERR with no error text: a lost race that
  // looks like an outage. This is the same create-only put (the `Nats-Expected-Last-Subject-
  // Sequence: 0` header, checked by the stream leader), with the server's error code kept. The
  // price: a deleted key cannot be created again; the ledger never deletes.
  Result<CreateOutcome> create(const std::string& key, const std::string& value) override {
    jsPubOptions options;
    jsPubOptions_Init(&options);
    options.ExpectNoMessage = true;
    jsPubAck* pubAck = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    std::string subject = subjectPrefix_ + key;
    natsStatus status = js_Publish(&pubAck, js_, subject.c_str(), value.data(),
                                   static_cast<int>(value.size()), &options, &code);
    if (status == NATS_OK) {
      CreateOutcome outcome{true, pubAck->Sequence};
      jsPubAck_Destroy(pubAck);
      return outcome;
    }
    if (code == JSStreamWrongLastSequenceErr) {
      return CreateOutcome{false, 0};
    }
    return natsError(
        "KV create of " + key + " (JetStream error " + std::to_string(static_cast<int>(code)) + ")",
        status);
  }

  Result<std::optional<std::string>> get(const std::string& key) override {
    kvEntry* entry = nullptr;
    natsStatus status = kvStore_Get(&entry, kv_, key.c_str());
    if (status == NATS_NOT_FOUND) {  // also a deleted or purged key
      return std::optional<std::string>();
    }
    if (status != NATS_OK) {
      return natsError("KV get of " + key, status);
    }
    std::string value(static_cast<const char*>(kvEntry_Value(entry)),
                      static_cast<std::size_t>(kvEntry_ValueLen(entry)));
    kvEntry_Destroy(entry);
    return std::optional<std::string>(std::move(value));
  }

 private:
  kvStore* kv_;
  jsCtx* js_;
  std::string subjectPrefix_;
};

class NatsLog final : public DeduplicatingLog {
 public:
  explicit NatsLog(jsCtx* js) : js_(js) {}

  Result<Ack> publish(const std::string& subject, const std::string& messageId,
                      const std::string& payload) override {
    jsPubOptions options;
    jsPubOptions_Init(&options);
    options.MsgId = messageId.c_str();  // sent as the Nats-Msg-Id header
    jsPubAck* pubAck = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    natsStatus status = js_Publish(&pubAck, js_, subject.c_str(), payload.data(),
                                   static_cast<int>(payload.size()), &options, &code);
    if (status != NATS_OK) {
      return natsError("JetStream publish to " + subject + " (JetStream error " +
                           std::to_string(static_cast<int>(code)) + ")",
                       status);
    }
    Ack ack{pubAck->Stream != nullptr ? pubAck->Stream : "", pubAck->Sequence, pubAck->Duplicate};
    jsPubAck_Destroy(pubAck);
    return ack;
  }

 private:
  jsCtx* js_;
};

}  // namespace

struct NatsClusterClient::Handles {
  natsConnection* connection = nullptr;
  jsCtx* js = nullptr;
  ~Handles() {
    jsCtx_Destroy(js);
    natsConnection_Destroy(connection);
  }
};

NatsClusterClient::NatsClusterClient(std::unique_ptr<Handles> handles)
    : handles_(std::move(handles)) {}

NatsClusterClient::~NatsClusterClient() = default;

Result<std::unique_ptr<NatsClusterClient>> NatsClusterClient::connect(
    const NatsClusterSettings& settings) {
  if (settings.urls.empty()) {
    return makeError(ErrorCode::kConfig, "no NATS server URL", "nats");
  }
  natsOptions* options = nullptr;
  natsStatus status = natsOptions_Create(&options);
  std::vector<const char*> urls;
  for (const std::string& url : settings.urls) {
    urls.push_back(url.c_str());
  }
  if (status == NATS_OK) {
    status = natsOptions_SetServers(options, urls.data(), static_cast<int>(urls.size()));
  }
  if (status == NATS_OK) {
    status = natsOptions_SetTimeout(options, settings.timeout.count());
  }
  auto handles = std::make_unique<Handles>();
  if (status == NATS_OK) {
    status = natsConnection_Connect(&handles->connection, options);
  }
  natsOptions_Destroy(options);
  if (status != NATS_OK) {
    return natsError("connect", status);
  }
  jsOptions jsOptions;
  jsOptions_Init(&jsOptions);
  jsOptions.Wait = settings.timeout.count();
  status = natsConnection_JetStream(&handles->js, handles->connection, &jsOptions);
  if (status != NATS_OK) {
    return natsError("JetStream context", status);
  }
  return std::unique_ptr<NatsClusterClient>(new NatsClusterClient(std::move(handles)));
}

Result<std::unique_ptr<CreateOnlyBucket>> NatsClusterClient::bucket(const std::string& name,
                                                                    int replicas) {
  kvStore* kv = nullptr;
  natsStatus status = js_KeyValue(&kv, handles_->js, name.c_str());
  if (status == NATS_NOT_FOUND) {
    kvConfig config;
    kvConfig_Init(&config);
    config.Bucket = name.c_str();
    config.Replicas = replicas;
    config.StorageType = js_FileStorage;
    status = js_CreateKeyValue(&kv, handles_->js, &config);
  }
  if (status != NATS_OK) {
    return natsError("KV bucket " + name, status);
  }
  return std::unique_ptr<CreateOnlyBucket>(new NatsBucket(kv, handles_->js, name));
}

Result<std::unique_ptr<DeduplicatingLog>> NatsClusterClient::log(
    const std::string& name, const std::vector<std::string>& subjects, int replicas) {
  std::vector<const char*> subjectPointers;
  for (const std::string& subject : subjects) {
    subjectPointers.push_back(subject.c_str());
  }
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = name.c_str();
  config.Subjects = subjectPointers.data();
  config.SubjectsLen = static_cast<int>(subjectPointers.size());
  config.Replicas = replicas;
  config.Storage = js_FileStorage;
  jsStreamInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus status = js_AddStream(&info, handles_->js, &config, nullptr, &code);
  jsStreamInfo_Destroy(info);
  // Another instance created it first (with another config, or it would have been a no-op).
  if (status != NATS_OK && code != JSStreamNameExistErr) {
    return natsError(
        "stream " + name + " (JetStream error " + std::to_string(static_cast<int>(code)) + ")",
        status);
  }
  return std::unique_ptr<DeduplicatingLog>(new NatsLog(handles_->js));
}

}  // namespace fhir837
