import { consumersScaleOnLag } from "../../src/kubernetes/consumers-scale-on-lag.js";
import { casesFor, changed } from "../lib/harness.js";
import { kafkaPubsub, subscription } from "../fixtures/dapr.js";
import { hpa, scaledObject } from "../fixtures/kubernetes.js";

const pubsub = changed(kafkaPubsub(), ["scopes", ["tasks-api", "recurrence"]]);
const completed = subscription("task.completed", "task.completed.dlq", ["recurrence"]);
const created = subscription("task.created", "task.created.dlq", ["recurrence"]);

export default casesFor(consumersScaleOnLag, [
  {
    n: 1,
    title: "a consumer scaled by KEDA on its group for every topic it reads",
    resources: [pubsub, completed, created, scaledObject("recurrence", ["task.completed", "task.created"])],
    expect: [],
  },
  {
    n: 2,
    title: "a consumer scaled on CPU only",
    resources: [pubsub, completed, hpa("recurrence")],
    expect: [
      'Deployment "tasks/recurrence" consumes task.completed in a shared consumer group but no KEDA ScaledObject scales it on the group\'s lag.',
    ],
  },
  {
    n: 3,
    title: "a topic without a lag trigger, and an HPA fighting KEDA's",
    resources: [pubsub, completed, created, scaledObject("recurrence", ["task.completed"]), hpa("recurrence")],
    expect: [
      'Deployment "tasks/recurrence": its ScaledObject has no kafka trigger on consumer group "recurrence" for task.created.',
      'Deployment "tasks/recurrence" is scaled by KEDA and by its own HorizontalPodAutoscaler "recurrence": remove the HPA.',
    ],
  },
  {
    n: 4,
    title: "a fan-out consumer (one group per pod) is not lag-scaled: more pods do not drain anything",
    resources: [
      changed(
        kafkaPubsub(),
        ["metadata.name", "pubsub-broadcast"],
        ["spec.metadata.5", { name: "consumerGroup", value: "{appID}-{podName}" }],
      ),
      changed(subscription("task.created", "task.created.dlq", ["realtime"]), ["spec.pubsubname", "pubsub-broadcast"]),
      hpa("realtime"),
    ],
    expect: [],
  },
]);
