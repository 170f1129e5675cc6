import { Card, Typography } from 'antd';
import type { ReactNode } from 'react';

/** The sign-in pages' frame: the platform's name on a card in the middle of the screen. */
export default function LoginFrame({ width, children }: { width: number; children: ReactNode }) {
  return (
    <main
      style={{
        minHeight: '100vh',
        display: 'grid',
        placeItems: 'center',
        background: '#f0f2f5',
        padding: 16,
      }}
    >
      <Card style={{ width: '100%', maxWidth: width }}>
        <Typography.Title level={1} style={{ fontSize: 22, textAlign: 'center' }}>
          社会救助协同平台
        </Typography.Title>
        {children}
      </Card>
    </main>
  );
}
