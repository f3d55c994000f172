#include "store/nats/nats_cluster_client.h"

#include <nats/nats.h>
#include <unistd.h>

#include <utility>

#include "store/nats/nats_error.h"
#include "store/nats/nats_subject_reader.h"

namespace fhir837 {

namespace {

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

// Values expire by the bucket's stream age limit (`MaxAge`), counted from each key's last put
// (one value per key is kept). The listing asks the stream for its subjects, then reads each
// subject's last message: two request/replies that a key expiring meanwhile cannot stall. A
// kvStore watcher can: it counts the keys pending when its consumer is made and waits for all of
// them, so a key that expires before it is delivered left the list waiting out its timeout.
class NatsExpiringBucket final : public ExpiringBucket {
 public:
  NatsExpiringBucket(kvStore* kv, jsCtx* js, const std::string& name)
      : kv_(kv), js_(js), stream_("KV_" + name), subjectPrefix_("$KV." + name + ".") {}
  ~NatsExpiringBucket() override { kvStore_Destroy(kv_); }

  Status put(const std::string& key, const std::string& value) override {
    std::uint64_t revision = 0;
    natsStatus status =
        kvStore_Put(&revision, kv_, key.c_str(), value.data(), static_cast<int>(value.size()));
    if (status != NATS_OK) {
      return natsError("KV put of " + key, status);
    }
    return Status::ok();
  }

  Result<std::vector<std::pair<std::string, std::string>>> entries() override {
    auto subjects = liveSubjects();
    if (!subjects) return subjects.error();
    std::vector<std::pair<std::string, std::string>> live;
    for (const std::string& subject : *subjects) {
      natsMsg* message = nullptr;
      jsErrCode code = static_cast<jsErrCode>(0);
      natsStatus status =
          js_GetLastMsg(&message, js_, stream_.c_str(), subject.c_str(), nullptr, &code);
      if (status == NATS_NOT_FOUND || code == JSNoMessageFoundErr) {
        continue;  // expired since the subject list was read
      }
      if (status != NATS_OK) {
        return natsError("KV read of " + subject.substr(subjectPrefix_.size()), status);
      }
      const char* operation = nullptr;
      natsMsgHeader_Get(message, "KV-Operation", &operation);
      if (operation == nullptr) {  // a put: deletes and purges carry the header
        live.emplace_back(subject.substr(subjectPrefix_.size()),
                          std::string(natsMsg_GetData(message),
                                      static_cast<std::size_t>(natsMsg_GetDataLength(message))));
      }
      natsMsg_Destroy(message);
    }
    return live;
  }

 private:
  Result<std::vector<std::string>> liveSubjects() {
    jsOptions options;
    jsOptions_Init(&options);
    const std::string filter = subjectPrefix_ + ">";
    options.Stream.Info.SubjectsFilter = filter.c_str();
    jsStreamInfo* info = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    natsStatus status = js_GetStreamInfo(&info, js_, stream_.c_str(), &options, &code);
    if (status != NATS_OK) {
      return natsError("KV key list of " + stream_, status);
    }
    std::vector<std::string> subjects;
    if (info->State.Subjects != nullptr) {
      for (int i = 0; i < info->State.Subjects->Count; ++i) {
        subjects.emplace_back(info->State.Subjects->List[i].Subject);
      }
    }
    jsStreamInfo_Destroy(info);
    return subjects;
  }

  kvStore* kv_;
  jsCtx* js_;
  std::string stream_;
  std::string subjectPrefix_;
};

// The KV bucket `name`, created (file storage, `replicas` copies, values expiring `ttl` after
// their put, 0: never) when absent; an existing one is used as it is.
Result<kvStore*> openOrCreateBucket(jsCtx* js, const std::string& name, int replicas,
                                    std::chrono::nanoseconds ttl) {
  kvStore* kv = nullptr;
  natsStatus status = js_KeyValue(&kv, js, name.c_str());
  if (status == NATS_NOT_FOUND) {
    kvConfig config;
    kvConfig_Init(&config);
    config.Bucket = name.c_str();
    config.Replicas = replicas;
    config.StorageType = js_FileStorage;
    config.TTL = ttl.count();
    status = js_CreateKeyValue(&kv, js, &config);
  }
  if (status != NATS_OK) {
    return natsError("KV bucket " + name, status);
  }
  return kv;
}

// A file named in the settings must be readable: libnats would report a missing one only as
// "Error" at connect, or as an SSL error naming no file.
Status readableFile(const std::string& path, const char* what) {
  if (access(path.c_str(), R_OK) != 0) {
    return makeError(ErrorCode::kConfig, std::string("cannot read the NATS ") + what + " file",
                     path);
  }
  return Status::ok();
}

// Credentials, TLS and the connection name onto `options`.
Status applySecurity(natsOptions* options, const NatsClusterSettings& settings) {
  natsStatus status = natsOptions_SetName(options, settings.name.c_str());
  if (status == NATS_OK && !settings.credentialsFile.empty()) {
    if (Status readable = readableFile(settings.credentialsFile, "credentials"); !readable) {
      return readable;
    }
    status =
        natsOptions_SetUserCredentialsFromFiles(options, settings.credentialsFile.c_str(), nullptr);
  }
  if (status == NATS_OK && settings.tlsCert.empty() != settings.tlsKey.empty()) {
    return makeError(ErrorCode::kConfig,
                     "a NATS TLS certificate needs its key and the other way round",
                     settings.tlsCert.empty() ? settings.tlsKey : settings.tlsCert);
  }
  const bool tls = !settings.tlsCa.empty() || !settings.tlsCert.empty();
  if (status == NATS_OK && tls) {
    status = natsOptions_SetSecure(options, true);
  }
  if (status == NATS_OK && !settings.tlsCa.empty()) {
    if (Status readable = readableFile(settings.tlsCa, "TLS CA"); !readable) {
      return readable;
    }
    status = natsOptions_LoadCATrustedCertificates(options, settings.tlsCa.c_str());
  }
  if (status == NATS_OK && !settings.tlsCert.empty()) {
    if (Status readable = readableFile(settings.tlsCert, "TLS certificate"); !readable) {
      return readable;
    }
    if (Status readable = readableFile(settings.tlsKey, "TLS key"); !readable) {
      return readable;
    }
    status = natsOptions_LoadCertificatesChain(options, settings.tlsCert.c_str(),
                                               settings.tlsKey.c_str());
  }
  if (status != NATS_OK) {
    return natsError("NATS security settings", status);
  }
  return Status::ok();
}

}  // namespace

struct NatsClusterClient::Handles {
  natsConnection* connection = nullptr;
  jsCtx* js = nullptr;
  std::chrono::milliseconds timeout{5000};
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
  if (status == NATS_OK) {
    if (Status secured = applySecurity(options, settings); !secured) {
      natsOptions_Destroy(options);
      return secured.error();
    }
  }
  auto handles = std::make_unique<Handles>();
  handles->timeout = settings.timeout;
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
  auto kv = openOrCreateBucket(handles_->js, name, replicas, std::chrono::nanoseconds(0));
  if (!kv) return kv.error();
  return std::unique_ptr<CreateOnlyBucket>(new NatsBucket(*kv, handles_->js, name));
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

Result<std::unique_ptr<SubjectReader>> NatsClusterClient::reader(const std::string& stream,
                                                                 const std::string& subject,
                                                                 std::uint64_t fromSequence) {
  return makeNatsSubjectReader(handles_->js, stream, subject, fromSequence, handles_->timeout);
}

Result<std::unique_ptr<ExpiringBucket>> NatsClusterClient::expiringBucket(
    const std::string& name, int replicas, std::chrono::milliseconds ttl) {
  auto kv = openOrCreateBucket(handles_->js, name, replicas, ttl);
  if (!kv) return kv.error();
  return std::unique_ptr<ExpiringBucket>(new NatsExpiringBucket(*kv, handles_->js, name));
}

}  // namespace fhir837
