import { seedDashboard } from './dashboard-seed.js';
const r = await seedDashboard(process.argv[2]!, process.argv[3] as 'sqlite' | 'postgres');
console.log(JSON.stringify(r));
