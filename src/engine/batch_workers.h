#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/group_coder.h"
#include "engine/progress.h"

namespace fhir837 {

// One batch of groups of the second pass: what the main thread prepared for the workers, and
// what they made of it. Its prepare coder and void copies belong to it because the workers code
// voids assembled from them; they are reset only when the batch is prepared again.
struct Batch {
  std::vector<GroupTask> tasks;
  std::vector<std::vector<GroupOutcome>> early;  // outcomes of the preparation, per group
  std::vector<GroupResult> results;
  std::atomic<std::size_t> next{0};  // the next group a worker takes
  std::size_t done = 0;              // groups finished (guarded by the pool's mutex)
  std::unique_ptr<GroupCoder> prepareCoder;
  std::deque<AnyResource> voidCopies;
};

// `jobs` threads, each with its own GroupCoder (the resource caches are per thread), working
// through the submitted batches in order. Destruction lets the queued batches finish first.
class WorkerPool {
 public:
  WorkerPool(unsigned jobs, const GroupContext& context, ConvertProgress* progress);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void submit(Batch& batch);
  // Until every group of `batch` is coded.
  void wait(Batch& batch);

 private:
  void loop(GroupCoder& coder);

  ConvertProgress* progress_;
  std::vector<std::unique_ptr<GroupCoder>> coders_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_, finished_;
  std::deque<Batch*> queue_;
  bool stopping_ = false;
};

}  // namespace fhir837
