// The profile store through the provider: adding, replacing, removing, and wiping secrets.
#include <gtest/gtest.h>
#include <smapi/provider.h>

#include <cstring>
#include <memory_resource>
#include <string>
#include <vector>

#include "failing_resource.h"
#include "test_support.h"

namespace smapi {
namespace {

using testing::FailingResource;
using testing::Seeded;

// Records every block handed back that still contains one of the needles.
class ScanningResource final : public std::pmr::memory_resource {
 public:
  std::vector<std::string> needles;
  int found = 0;

 private:
  void* do_allocate(size_t bytes, size_t alignment) override {
    return std::pmr::new_delete_resource()->allocate(bytes, alignment);
  }
  void do_deallocate(void* p, size_t bytes, size_t alignment) override {
    const std::string_view block(static_cast<const char*>(p), bytes);
    for (const std::string& needle : needles) {
      if (block.find(needle) != std::string_view::npos) ++found;
    }
    std::pmr::new_delete_resource()->deallocate(p, bytes, alignment);
  }
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
    return this == &other;
  }
};

// H6: a password must be gone from memory before that memory is given back.
TEST(Profiles, PasswordsAreWipedBeforeRelease) {
  ScanningResource memory;
  // A short one lives inside the string object; a long one in a block of its own.
  memory.needles = {"Qz7!pw", std::string(64, 'K') + "tail-of-a-long-password"};
  {
    ProviderOptions options = Seeded();
    options.memory = &memory;
    Provider provider(options);
    for (const std::string& password : memory.needles) {
      ASSERT_EQ(provider.AddProfile("p" + std::to_string(password.size()), password),
                ULONG{SUCCESS_SUCCESS});
      LHANDLE handle = 0;
      const std::string name = "p" + std::to_string(password.size());
      ASSERT_EQ(provider.Logon(0, name.c_str(), password.c_str(), MAPI_NEW_SESSION, 0, &handle),
                ULONG{SUCCESS_SUCCESS});
      ASSERT_EQ(provider.Logoff(handle, 0, 0, 0), ULONG{SUCCESS_SUCCESS});  // Session ends.
      ASSERT_EQ(provider.Logon(0, name.c_str(), password.c_str(), MAPI_NEW_SESSION, 0, &handle),
                ULONG{SUCCESS_SUCCESS});  // Left open: ends with the provider.
    }
    // Replacing and removing a profile drop its old password too.
    ASSERT_EQ(provider.AddProfile("p6", "other"), ULONG{SUCCESS_SUCCESS});
    ASSERT_TRUE(provider.RemoveProfile("p87"));
  }
  EXPECT_EQ(memory.found, 0);
}

TEST(Profiles, AddReplaceRemove) {
  Provider provider(Seeded());
  LHANDLE handle = 0;
  EXPECT_EQ(provider.AddProfile("", "x"), ULONG{MAPI_E_FAILURE});
  ASSERT_EQ(provider.AddProfile("alice", "one"), ULONG{SUCCESS_SUCCESS});
  EXPECT_EQ(provider.Logon(0, "alice", "one", MAPI_NEW_SESSION, 0, &handle),
            ULONG{SUCCESS_SUCCESS});
  ASSERT_EQ(provider.AddProfile("alice", "two"), ULONG{SUCCESS_SUCCESS});
  EXPECT_EQ(provider.Logon(0, "alice", "one", MAPI_NEW_SESSION, 0, &handle),
            ULONG{MAPI_E_LOGIN_FAILURE});
  EXPECT_EQ(provider.Logon(0, "alice", "two", MAPI_NEW_SESSION, 0, &handle),
            ULONG{SUCCESS_SUCCESS});
  EXPECT_TRUE(provider.RemoveProfile("alice"));
  EXPECT_FALSE(provider.RemoveProfile("alice"));
  EXPECT_EQ(provider.Logon(0, "alice", "two", MAPI_NEW_SESSION, 0, &handle),
            ULONG{MAPI_E_LOGIN_FAILURE});
  // The session opened before the removal is still live and can be logged off.
  EXPECT_TRUE(provider.Lookup(handle).has_value());
  EXPECT_EQ(provider.Logoff(handle, 0, 0, 0), ULONG{SUCCESS_SUCCESS});
  // Profile names are case-sensitive.
  EXPECT_EQ(provider.Logon(0, "DEFAULT", "", MAPI_NEW_SESSION, 0, &handle),
            ULONG{MAPI_E_LOGIN_FAILURE});
}

TEST(Profiles, OutOfMemoryKeepsOldPassword) {
  FailingResource memory;
  ProviderOptions options = Seeded();
  options.memory = &memory;
  Provider provider(options);
  ASSERT_EQ(provider.AddProfile("alice", "one"), ULONG{SUCCESS_SUCCESS});
  memory.FailAll();
  EXPECT_EQ(provider.AddProfile("alice", std::string(100, 'x')), ULONG{MAPI_E_INSUFFICIENT_MEMORY});
  memory.Disarm();
  LHANDLE handle = 0;
  EXPECT_EQ(provider.Logon(0, "alice", "one", MAPI_NEW_SESSION, 0, &handle),
            ULONG{SUCCESS_SUCCESS});
}

TEST(Profiles, DefaultProviderLogsOnWithNoSetUp) {
  LHANDLE handle = 0;
  ASSERT_EQ(MAPILogon(0, nullptr, nullptr, MAPI_NEW_SESSION, 0, &handle), ULONG{SUCCESS_SUCCESS});
  EXPECT_TRUE(DefaultProvider().Lookup(handle).has_value());
  EXPECT_EQ(MAPILogoff(handle, 0, 0, 0), ULONG{SUCCESS_SUCCESS});
  EXPECT_EQ(MAPILogoff(handle, 0, 0, 0), ULONG{MAPI_E_INVALID_SESSION});
}

}  // namespace
}  // namespace smapi
