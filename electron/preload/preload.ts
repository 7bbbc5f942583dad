// Sandboxed preload: only contextBridge and ipcRenderer are used.
import { contextBridge, ipcRenderer } from 'electron';
import { createBreakglassApi } from './expose';

contextBridge.exposeInMainWorld('breakglass', createBreakglassApi(ipcRenderer));
