/** The file list: folders and notebooks under a directory of the server's root, and "new notebook". */
import type { Contents, ContentsManager } from '@jupyterlab/services';

function link(href: string, text: string, cls: string): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  a.className = cls;
  return a;
}

/** Renders the directory `dir` into `host`; notebooks link to `${appUrl}notebooks/<path>`. */
export async function renderBrowser(host: HTMLElement, contents: ContentsManager, dir: string, appUrl: string): Promise<void> {
  const listing = await contents.get(dir, { content: true });
  const items = (listing.content as Contents.IModel[])
    .filter((i) => i.type === 'directory' || i.type === 'notebook')
    .sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'directory' ? -1 : 1));
  host.textContent = '';
  const title = document.createElement('h2');
  title.textContent = `/${dir}`;
  const newButton = document.createElement('button');
  newButton.id = 'tl-new-notebook';
  newButton.textContent = 'New notebook';
  newButton.onclick = async () => {
    const created = await contents.newUntitled({ path: dir, type: 'notebook' });
    window.location.href = `${appUrl}notebooks/${created.path}`;
  };
  const list = document.createElement('ul');
  list.className = 'tl-files';
  if (dir) {
    const up = dir.split('/').slice(0, -1).join('/');
    const li = document.createElement('li');
    li.append(link(`${appUrl}tree/${up}`, '..', 'tl-dir'));
    list.append(li);
  }
  for (const item of items) {
    const li = document.createElement('li');
    li.append(item.type === 'directory' ? link(`${appUrl}tree/${item.path}`, `${item.name}/`, 'tl-dir') : link(`${appUrl}notebooks/${item.path}`, item.name, 'tl-notebook-link'));
    const when = document.createElement('span');
    when.className = 'tl-modified';
    when.textContent = new Date(item.last_modified).toLocaleString();
    li.append(when);
    list.append(li);
  }
  host.append(title, newButton, list);
}
