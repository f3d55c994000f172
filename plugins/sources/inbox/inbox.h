#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>

#include "core/result.h"
#include "engine/clock.h"
#include "engine/serve/journal.h"
#include "sources/inbox/inbox_intake.h"

namespace fhir837::inbox {

struct InboxOptions {
  std::filesystem::path dir;                // `[serve] inbox`; done/ and error/ inside it
  std::chrono::milliseconds settle{2000};   // written in place: unchanged this long = complete
  std::chrono::milliseconds rescan{10000};  // listing without inotify (or after a lost event)
  IntakeOptions intake;
};

// The file-drop listener of `fhir837 serve`: a thread that takes every complete file dropped into
// the inbox (see SettleTracker), journals it as HTTP input is journaled (FileJournaler), and
// moves it to done/ or error/ with a reason file. Files still in the inbox at start are taken
// again: what they hold is already in the journal, so nothing is stored or billed twice.
class Inbox {
 public:
  virtual ~Inbox() = default;
  // Creates the directories and starts the thread.
  virtual Status start() = 0;
  // Stops between two files, or within one (which then stays in the inbox for the next start).
  virtual void stop() = 0;
};

// `committed` runs after every journal commit (BillingService::notify).
std::unique_ptr<Inbox> makeInbox(InboxOptions options, serve::Journal& journal,
                                 std::function<void()> committed, const Clock& clock);

}  // namespace fhir837::inbox
