import { z } from 'zod';

/** pending until the receiver answers 2xx, then delivered. */
export const webhookStatuses = ['pending', 'delivered'] as const;

/** A push to the internal appraisal system and how far it got, as the console lists it. */
export const webhookDelivery = z.object({
  id: z.string(),
  event: z.string(),
  instrument: z.string(),
  createdAt: z.string(),
  status: z.enum(webhookStatuses),
  attempts: z.number().int(),
  /** Epoch seconds of the next attempt (pending only). */
  nextAttemptAt: z.number().int(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
});
export type WebhookDelivery = z.infer<typeof webhookDelivery>;

export const webhookList = z
  .object({ configured: z.boolean(), deliveries: z.array(webhookDelivery) })
  .meta({ id: 'WebhookDeliveries' });
export type WebhookList = z.infer<typeof webhookList>;
