/** Push channels shaped as real devices produce them, one per platform, distinct per `seed`. */
export function channelsFor(seed: string) {
  const hex = Buffer.from(seed.padEnd(32, "0").slice(0, 32)).toString("hex");
  return {
    apns: hex,
    fcmv1: `${seed.replace(/[^A-Za-z0-9]/g, "")}:APA91b${"Fq3Zk9".repeat(24)}`,
    wns: `https://db5.notify.windows.com/?token=${encodeURIComponent(seed)}`,
    browser: {
      endpoint: `https://fcm.googleapis.com/fcm/send/${encodeURIComponent(seed)}`,
      p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
      auth: "tBHItJI5svbpez7KI4CCXg",
    },
  } as const;
}

export const PLATFORMS = ["apns", "fcmv1", "wns", "browser"] as const;
