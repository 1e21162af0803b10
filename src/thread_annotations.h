// Clang's thread-safety attributes, so that the lock rules are compiler-checked facts
// (-Wthread-safety in the clang presets) rather than comments. Other compilers see nothing.
#ifndef SMAPI_THREAD_ANNOTATIONS_H_
#define SMAPI_THREAD_ANNOTATIONS_H_

#if defined(__clang__)
#define SMAPI_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define SMAPI_THREAD_ANNOTATION(x)
#endif

#define SMAPI_CAPABILITY(name) SMAPI_THREAD_ANNOTATION(capability(name))
#define SMAPI_SCOPED_CAPABILITY SMAPI_THREAD_ANNOTATION(scoped_lockable)
#define SMAPI_GUARDED_BY(mu) SMAPI_THREAD_ANNOTATION(guarded_by(mu))
#define SMAPI_PT_GUARDED_BY(mu) SMAPI_THREAD_ANNOTATION(pt_guarded_by(mu))
#define SMAPI_REQUIRES(...) SMAPI_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define SMAPI_EXCLUDES(...) SMAPI_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define SMAPI_ACQUIRE(...) SMAPI_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define SMAPI_RELEASE(...) SMAPI_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define SMAPI_NO_THREAD_SAFETY_ANALYSIS SMAPI_THREAD_ANNOTATION(no_thread_safety_analysis)

#endif  // SMAPI_THREAD_ANNOTATIONS_H_
