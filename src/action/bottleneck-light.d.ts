// bottleneck's light build (what the octokit plugins use) ships without its own declaration file.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
