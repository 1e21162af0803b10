// The provider's writer lock: std::mutex with clang's capability attributes, so that "writers hold
// the lock" is checked at compile time. It is also the one place a build that schedules logical
// threads itself (SMAPI_SCHEDULE_POINTS) can swap in a lock that yields instead of blocking.
#ifndef SMAPI_MUTEX_H_
#define SMAPI_MUTEX_H_

#include <mutex>

#include "schedule_point.h"
#include "thread_annotations.h"

namespace smapi::internal {

#if defined(SMAPI_SCHEDULE_POINTS)
// The schedule build's lock: logical threads are fibers on one OS thread, so a contended lock
// must hand the thread to the scheduler instead of blocking it.
class SMAPI_CAPABILITY("mutex") Mutex {
 public:
  void Lock() SMAPI_ACQUIRE() {
    SMAPI_SCHEDULE_POINT("mutex: lock");
    while (held_) ScheduleWait(this);
    held_ = true;
  }
  void Unlock() SMAPI_RELEASE() {
    held_ = false;
    ScheduleWake(this);
  }

 private:
  bool held_ = false;
};
#else
class SMAPI_CAPABILITY("mutex") Mutex {
 public:
  void Lock() SMAPI_ACQUIRE() { mu_.lock(); }
  void Unlock() SMAPI_RELEASE() { mu_.unlock(); }

 private:
  std::mutex mu_;
};
#endif

// Holds a Mutex for one scope.
class SMAPI_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) SMAPI_ACQUIRE(mu) : mu_(mu) { mu_.Lock(); }
  ~MutexLock() SMAPI_RELEASE() { mu_.Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex& mu_;
};

}  // namespace smapi::internal

#endif  // SMAPI_MUTEX_H_
