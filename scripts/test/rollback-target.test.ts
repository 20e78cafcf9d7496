import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pickRollbackTarget, type HistoryEntry } from "../lib/rollback-target.js";

const update = (version: number, result: string, head?: string, kind = "update"): HistoryEntry => ({
  version,
  kind,
  result,
  ...(head ? { environment: { "git.head": head } } : {}),
});

describe("pickRollbackTarget", () => {
  it("after a successful deployment, goes back to the newest earlier success from another commit", () => {
    const history = [
      update(5, "succeeded", "ccc"),
      update(4, "succeeded", "ccc"),
      update(3, "succeeded", "bbb"),
      update(2, "succeeded", "aaa"),
    ];
    assert.deepEqual(pickRollbackTarget(history), {
      commit: "bbb",
      version: 3,
      reason: "update 5 is the current deployment; redeploying update 3",
    });
  });

  it("after a failed update, redeploys the last successful one, skipping refreshes and failures", () => {
    const history = [
      update(2, "succeeded", "aaa"),
      update(6, "failed", "ddd"),
      update(5, "succeeded", "bbb", "refresh"),
      update(4, "succeeded", "ccc"),
      update(3, "failed", "ccc"),
    ];
    assert.deepEqual(pickRollbackTarget(history), {
      commit: "ccc",
      version: 4,
      reason: "update 6 failed; redeploying the last successful update 4",
    });
  });

  it("ignores successes with no recorded commit", () => {
    const history = [update(3, "succeeded", "bbb"), update(2, "succeeded"), update(1, "succeeded", "aaa")];
    assert.equal(pickRollbackTarget(history).commit, "aaa");
  });

  it("says why there is nothing to roll back to", () => {
    assert.throws(() => pickRollbackTarget([]), { message: "the stack has no updates to roll back to" });
    assert.throws(() => pickRollbackTarget([update(2, "succeeded", "aaa"), update(1, "succeeded", "aaa")]), {
      message: "no successful update before 2 was made from a commit other than aaa",
    });
    assert.throws(() => pickRollbackTarget([update(1, "cancelled", "aaa")]), {
      message: "update 1 cancelled and no earlier update succeeded from a known commit",
    });
  });
});
