import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clientProperties, consumerFailure, eventHubsBrokers } from "../src/dlq-replay.js";

describe("dlq-replay over SASL_SSL", () => {
  it("finds the Kafka endpoint in an Event Hubs connection string, and names what is missing", () => {
    assert.equal(
      eventHubsBrokers("Endpoint=sb://tasks-prod-eh.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=abc="),
      "tasks-prod-eh.servicebus.windows.net:9093",
    );
    assert.throws(() => eventHubsBrokers("SharedAccessKeyName=send;SharedAccessKey=abc="), /no Endpoint=sb:\/\//);
  });

  it("writes SASL PLAIN over TLS client properties, escaping the password for JAAS and for the properties file", () => {
    const props = clientProperties({
      sasl: { username: "$ConnectionString", password: 'Endpoint=sb://x/;Key=a"b\\c' },
      caFile: "/tmp/ca.pem",
    });
    assert.equal(
      props,
      [
        "security.protocol=SASL_SSL",
        "sasl.mechanism=PLAIN",
        'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="$ConnectionString" password="Endpoint=sb://x/;Key=a\\\\"b\\\\\\\\c";',
        "ssl.truststore.type=PEM",
        "ssl.truststore.location=/tmp/ca.pem",
      ].join("\n"),
    );
    assert.doesNotMatch(clientProperties({ sasl: { username: "u", password: "p" } }), /truststore/);
  });

  it("tells the console consumer's normal end (no message for --timeout-ms) from an authentication or TLS failure", () => {
    const end =
      "ERROR Error processing message, terminating consumer process:\norg.apache.kafka.common.errors.TimeoutException\nProcessed a total of 3 messages";
    assert.equal(consumerFailure(end), undefined);
    assert.equal(consumerFailure("Processed a total of 0 messages"), undefined);
    assert.equal(
      consumerFailure(
        "ERROR Error processing message, terminating consumer process:  (org.apache.kafka.tools.consumer.ConsoleConsumer)\n" +
          "org.apache.kafka.common.errors.SaslAuthenticationException: Authentication failed: Invalid username or password\nProcessed a total of 0 messages",
      ),
      "SaslAuthenticationException: Authentication failed: Invalid username or password",
    );
    assert.equal(
      consumerFailure("terminating consumer process:\norg.apache.kafka.common.errors.SslAuthenticationException: SSL handshake failed\n"),
      "SslAuthenticationException: SSL handshake failed",
    );
  });
});
