// Places where a deterministic scheduler may switch logical threads: every atomic access on the
// table's read and write paths, logoff between its check and its act, and before a session is
// freed. They compile to nothing unless SMAPI_SCHEDULE_POINTS is defined, which only the schedule
// fuzzer's private build of the library does; libsmapi.so and every other build never see them.
#ifndef SMAPI_SCHEDULE_POINT_H_
#define SMAPI_SCHEDULE_POINT_H_

#if defined(SMAPI_SCHEDULE_POINTS)
namespace smapi::internal {
// Defined by the scheduler that the schedule build links in; `where` names the point.
void SchedulePoint(const char* where) noexcept;
// For the fiber-aware Mutex (mutex.h): ScheduleWait runs other logical threads until `lock` is
// released (all of them blocked is a deadlock, which the scheduler reports); ScheduleWake makes
// the threads waiting on `lock` runnable again.
void ScheduleWait(const void* lock) noexcept;
void ScheduleWake(const void* lock) noexcept;
}  // namespace smapi::internal
#define SMAPI_SCHEDULE_POINT(where) ::smapi::internal::SchedulePoint(where)
#else
#define SMAPI_SCHEDULE_POINT(where) static_cast<void>(0)
#endif

#endif  // SMAPI_SCHEDULE_POINT_H_
