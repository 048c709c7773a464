import { UploadView } from './_components/upload-view';

export default function UploadPage() {
  return <UploadView />;
}
