import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { allBrokerTopics, allTopics } from "@tasks/catalog";
import { eventHubsLimitProblems, type PlannedHub } from "../../src/azure/eventhubs/limits.js";

const hubs = (n: number, extra: Partial<PlannedHub> = {}): PlannedHub[] =>
  Array.from({ length: n }, (_, i) => ({ name: `t${i}`, partitions: 4, retentionDays: 7, consumerGroups: 2, ...extra }));

describe("Event Hubs tier limits", () => {
  it("accepts the catalog on Standard and on Premium", () => {
    const planned = allBrokerTopics(allTopics).map((t) => ({ ...t, consumerGroups: 5 }));
    assert.deepEqual(eventHubsLimitProblems("Standard", 1, planned), []);
    assert.deepEqual(eventHubsLimitProblems("Premium", 1, planned), []);
  });

  it("names the Standard limits: 10 hubs per namespace, 7 days, 32 partitions, 20 consumer groups", () => {
    assert.deepEqual(eventHubsLimitProblems("Standard", 1, hubs(10)), []);
    assert.deepEqual(eventHubsLimitProblems("Standard", 1, hubs(12)), [
      "Event Hubs Standard allows at most 10 event hubs per namespace; the catalog needs 12 (topics and their dead-letter topics)",
    ]);
    assert.deepEqual(
      eventHubsLimitProblems("Standard", 1, [{ name: "task.created", partitions: 40, retentionDays: 14, consumerGroups: 21 }]),
      [
        'Event Hubs Standard allows at most 7 days retention; event hub "task.created" asks for 14',
        'Event Hubs Standard allows at most 32 partitions per event hub; event hub "task.created" asks for 40',
        'Event Hubs Standard allows at most 20 consumer groups per event hub; event hub "task.created" needs 21',
      ],
    );
    assert.deepEqual(eventHubsLimitProblems("Standard", 41, hubs(1)), [
      "Event Hubs Standard allows 1..40 throughput units; capacity is 41",
    ]);
  });

  it("names the Premium limits: 100 hubs per processing unit, 90 days, 200 partitions per unit", () => {
    assert.deepEqual(eventHubsLimitProblems("Premium", 2, hubs(150, { partitions: 1 })), []);
    assert.deepEqual(eventHubsLimitProblems("Premium", 1, hubs(101, { partitions: 1 })), [
      "Event Hubs Premium allows at most 100 event hubs per processing unit (100 with capacity 1); the catalog needs 101 (topics and their dead-letter topics)",
    ]);
    assert.deepEqual(eventHubsLimitProblems("Premium", 1, [{ name: "audit", partitions: 4, retentionDays: 91, consumerGroups: 1 }]), [
      'Event Hubs Premium allows at most 90 days retention; event hub "audit" asks for 91',
    ]);
    assert.deepEqual(eventHubsLimitProblems("Premium", 1, hubs(3, { partitions: 80 })), [
      "Event Hubs Premium allows at most 200 partitions per processing unit (200 with capacity 1); the event hubs need 240",
    ]);
    assert.deepEqual(eventHubsLimitProblems("Premium", 3, hubs(1)), [
      "Event Hubs Premium allows 1, 2, 4, 8 or 16 processing units; capacity is 3",
    ]);
  });
});
