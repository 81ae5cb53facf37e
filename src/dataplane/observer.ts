/**
 * The data plane's metrics hook: called once per request when its response is complete or abandoned. The data plane
 * knows no metrics library; the runtime wires an observer that feeds one.
 */

export interface DataplaneObserver {
  /**
   * `route`: the matched route's IR name ('' when none matched); `cluster`: the chosen cluster ('' when none);
   * `status`: the status sent, 499 when the client went away first; `seconds`: from request head to completion.
   */
  requestDone(route: string, cluster: string, status: number, seconds: number): void;
}
