import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  INCIDENT_SIGNAL_CHANNEL,
  type IncidentChangedSignal,
} from '@acme/plugin-incident-ops-common';

export { INCIDENT_SIGNAL_CHANNEL };
export type { IncidentChangedSignal };

/** Tells open pages that an incident changed. Never throws: a lost signal only delays a page. */
export interface IncidentSignals {
  incidentChanged(number: string, change: string): Promise<void>;
}

/** The helper routes and tasks call after they change an incident. */
export function createIncidentSignals(options: {
  signals?: SignalsService;
  logger: LoggerService;
  now?: () => Date;
}): IncidentSignals {
  return {
    async incidentChanged(number, change) {
      if (!options.signals) return;
      const message: IncidentChangedSignal = {
        number,
        change,
        at: (options.now ?? (() => new Date()))().toISOString(),
      };
      try {
        await options.signals.publish({
          recipients: { type: 'broadcast' },
          channel: INCIDENT_SIGNAL_CHANNEL,
          message,
        });
      } catch (e) {
        options.logger.warn(
          `Could not signal the change of ${number}: ${(e as Error).message}`,
        );
      }
    },
  };
}
