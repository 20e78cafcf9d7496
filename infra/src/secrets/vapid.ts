import { createECDH } from "node:crypto";

/**
 * A VAPID key pair (P-256) from 32 random bytes, in the URL-safe base64 web-push expects. The Azure and
 * local stacks both keep the random bytes in state (random.RandomBytes) and derive the pair with this.
 */
export function vapidKeysFrom(privateKeyBase64: string): { publicKey: string; privateKey: string } {
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(Buffer.from(privateKeyBase64, "base64"));
  return { publicKey: ecdh.getPublicKey().toString("base64url"), privateKey: ecdh.getPrivateKey().toString("base64url") };
}
