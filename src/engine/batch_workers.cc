#include "engine/batch_workers.h"

namespace fhir837 {

WorkerPool::WorkerPool(unsigned jobs, const GroupContext& context, ConvertProgress* progress)
    : progress_(progress) {
  for (unsigned t = 0; t < jobs; ++t) coders_.push_back(std::make_unique<GroupCoder>(context));
  for (unsigned t = 0; t < jobs; ++t) threads_.emplace_back([this, t] { loop(*coders_[t]); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void WorkerPool::submit(Batch& batch) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(&batch);
  }
  wake_.notify_all();
}

void WorkerPool::wait(Batch& batch) {
  std::unique_lock lock(mutex_);
  finished_.wait(lock, [&] { return batch.done == batch.tasks.size(); });
}

// A batch leaves the queue, under the lock, once its last group is taken; `done` counts the
// groups finished, so wait() returns only when no worker still holds one.
void WorkerPool::loop(GroupCoder& coder) {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left
    Batch& batch = *queue_.front();
    const std::size_t g = batch.next.fetch_add(1);
    if (g >= batch.tasks.size()) {
      if (!queue_.empty() && queue_.front() == &batch) queue_.pop_front();
      continue;
    }
    lock.unlock();
    batch.results[g] = coder.run(batch.tasks[g]);
    if (progress_) {
      progress_->events.fetch_add(batch.tasks[g].items.size(), std::memory_order_relaxed);
    }
    lock.lock();
    if (++batch.done == batch.tasks.size()) finished_.notify_all();
  }
}

}  // namespace fhir837
