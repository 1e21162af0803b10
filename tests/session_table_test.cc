// The session table on its own: slot reuse order, retirement, the reuse queue's allocation.
#include "session_table.h"

#include <gtest/gtest.h>

#include <vector>

#include "failing_resource.h"
#include "session.h"

namespace smapi::internal {
namespace {

using smapi::testing::FailingResource;

struct TableTest : ::testing::Test {
  FailingResource memory;
  Session session{false, "p", "", &memory};

  uint32_t IndexOf(SessionTable& table, LHANDLE handle) {
    uint64_t session_id = 0;
    return table.Find(handle, &session_id);
  }
  void Release(SessionTable& table, LHANDLE handle) {
    const uint32_t index = IndexOf(table, handle);
    ASSERT_NE(index, SessionTable::kNoSlot);
    table.ReserveRelease();
    EXPECT_EQ(table.Release(index), &session);
  }
};

TEST_F(TableTest, FindAnswersWithTheSessionsId) {
  SessionTable table(8, UINT32_MAX, 42, &memory);
  const LHANDLE handle = table.Issue(&session);
  EXPECT_NE(session.id, 0u);  // The first handle named the session.
  uint64_t id = 0;
  EXPECT_EQ(table.Find(handle, &id), 0u);
  EXPECT_EQ(id, session.id);
  EXPECT_EQ(table.Find(0, &id), SessionTable::kNoSlot);
  EXPECT_EQ(table.CheckInvariants(), nullptr);
  Release(table, handle);
}

TEST_F(TableTest, EveryHandleOntoTheSharedSessionGivesItsId) {
  SessionTable table(8, UINT32_MAX, 42, &memory);
  Session shared{true, "p", "", &memory};
  const LHANDLE first = table.Issue(&shared);
  ++shared.handles;
  const LHANDLE join = table.Issue(&shared);
  ++shared.handles;
  const uint64_t shared_id = shared.id;
  const LHANDLE own = table.Issue(&session);
  uint64_t id = 0;
  EXPECT_EQ(table.Find(join, &id), 1u);
  EXPECT_EQ(id, shared_id);
  EXPECT_EQ(table.Find(first, &id), 0u);
  EXPECT_EQ(id, shared_id);
  EXPECT_EQ(table.Find(own, &id), 2u);
  EXPECT_NE(id, shared_id);
  EXPECT_EQ(table.CheckInvariants(), nullptr);
  for (LHANDLE h : {first, join, own}) {
    table.ReserveRelease();
    table.Release(IndexOf(table, h));
  }
}

TEST_F(TableTest, AReissuedSlotNamesANewSession) {
  SessionTable table(1, UINT32_MAX, 42, &memory);
  const LHANDLE before = table.Issue(&session);
  const uint64_t old_id = session.id;
  Release(table, before);
  const LHANDLE after = table.Issue(&session);
  uint64_t id = 0;
  EXPECT_EQ(table.Find(before, &id), SessionTable::kNoSlot);
  EXPECT_EQ(table.Find(after, &id), 0u);
  EXPECT_NE(id, old_id);
  Release(table, after);
}

TEST_F(TableTest, FreedSlotsAreReusedFirstInFirstOut) {
  SessionTable table(8, UINT32_MAX, 42, &memory);
  std::vector<LHANDLE> handles;
  for (int i = 0; i < 4; ++i) handles.push_back(table.Issue(&session));
  Release(table, handles[2]);
  Release(table, handles[0]);
  const LHANDLE a = table.Issue(&session);
  const LHANDLE b = table.Issue(&session);
  const LHANDLE c = table.Issue(&session);
  EXPECT_EQ(IndexOf(table, a), 2u);
  EXPECT_EQ(IndexOf(table, b), 0u);
  EXPECT_EQ(IndexOf(table, c), 4u);  // Queue empty: the next never-used slot.
  EXPECT_EQ(table.CheckInvariants(), nullptr);
  for (LHANDLE h : {a, b, c, handles[1], handles[3]}) Release(table, h);
}

TEST_F(TableTest, ReuseQueueGrowthIsTheLogoffAllocation) {
  SessionTable table(64, UINT32_MAX, 42, &memory);
  std::vector<LHANDLE> handles;
  for (int i = 0; i < 20; ++i) handles.push_back(table.Issue(&session));
  memory.FailAll();
  // The first release needs the queue: the reservation fails and nothing changes.
  EXPECT_THROW(table.ReserveRelease(), std::bad_alloc);
  EXPECT_EQ(table.live(), 20u);
  memory.Disarm();
  for (int i = 0; i < 8; ++i) Release(table, handles[i]);  // Fills the first ring of 8.
  memory.FailAll();
  EXPECT_THROW(table.ReserveRelease(), std::bad_alloc);
  memory.Disarm();
  for (int i = 8; i < 20; ++i) Release(table, handles[i]);
  EXPECT_EQ(table.CheckInvariants(), nullptr);
  EXPECT_EQ(table.free_slots(), 64u);
}

TEST_F(TableTest, CapacityIsClampedToTheIndexBits) {
  // Only checks the arithmetic: a clamped table would need 512 MiB, so use a tiny one.
  SessionTable table(0, UINT32_MAX, 1, &memory);
  EXPECT_EQ(table.capacity(), 0u);
  EXPECT_FALSE(table.HasFreeSlot());
  EXPECT_EQ(kMaxCapacity, uint32_t{1} << kIndexBits);
}

TEST_F(TableTest, HandlesBeyondCapacityAreRejected) {
  SessionTable table(4, UINT32_MAX, 42, &memory);
  const HandleCodec codec(SplitMix64(42).Next());  // The table's own key.
  uint64_t id = 0;
  for (uint32_t index : {4u, 5u, 1000u, uint32_t(kIndexMask)}) {
    for (uint32_t generation : {0u, 1u}) {
      const LHANDLE forged = codec.Encode(PackRaw(index, 0, generation));
      EXPECT_EQ(table.Find(forged, &id), SessionTable::kNoSlot);
    }
  }
}

}  // namespace
}  // namespace smapi::internal
