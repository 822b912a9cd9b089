import { Component, type ReactNode } from 'react';
import { Failure } from './failure';

type State = { failed: false } | { failed: true; error: unknown };

/** Catches what a render throws outside the router's own error pages, and offers a retry. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(error: unknown): State {
    return { failed: true, error };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return <Failure error={this.state.error} onRetry={() => this.setState({ failed: false })} />;
  }
}
