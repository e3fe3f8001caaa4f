import type { OfficeInput } from '../offices/office.service';

/**
 * The demo office the sandbox seeds on its first start (and `npm run demo` seeds on demand):
 * one office in Asia/Shanghai speaking WeCom, its five staff and twenty residents. The id and
 * the resident 张三 (R-88, `zhangsan`, B3-1202) are docs/api.md's examples, so the webhook
 * example there works against the sandbox as written.
 */
export const DEMO_OFFICE_ID = 'office-1';

/** The demo office's wall clock: every demo date is reckoned in it. */
export const DEMO_TIME_ZONE = 'Asia/Shanghai';

/** The department of the demo's one department head; complaints name it. */
export const DEMO_DEPARTMENT = 'engineering';

/**
 * `PUT /api/offices/office-1`'s body for the demo. Quiet hours are switched off
 * (`start === end`) so a newcomer trying the sandbox at 22:00 still sees cards arrive; real
 * offices keep the default 21:00–08:00. `other` work orders are visited at 50 % (its default
 * target is 0 until a supervisor sets one) so the demo shows that kind too.
 */
export const DEMO_OFFICE: OfficeInput & { staff: DemoStaff[] } = {
  name: '一号物业服务中心',
  timeZone: DEMO_TIME_ZONE,
  channel: 'wecom',
  staff: [
    { id: 'sup1', name: '李主管', roles: ['supervisor'], wecomUserId: 'lizhuguan' },
    { id: 'mgr1', name: '王经理', roles: ['manager'], wecomUserId: 'wangjingli' },
    { id: 'sp1', name: '赵专员', roles: ['specialist'], wecomUserId: 'zhaozhuanyuan' },
    { id: 'sp2', name: '钱专员', roles: ['specialist'], wecomUserId: 'qianzhuanyuan' },
    { id: 'eng1', name: '孙工', roles: ['dept_head'], department: DEMO_DEPARTMENT, wecomUserId: 'sungong' },
  ],
  rateTargets: { other: 0.5 },
  policy: {
    staffQuietHours: { start: '00:00', end: '00:00' },
    residentQuietHours: { start: '00:00', end: '00:00' },
  },
};

export interface DemoStaff {
  id: string;
  name: string;
  roles: ('specialist' | 'supervisor' | 'dept_head' | 'manager')[];
  department?: string;
  wecomUserId: string;
}

/** A demo resident: a member of the (fake) WeCom directory, so cards reach them. */
export interface DemoResident {
  id: string;
  name: string;
  phone: string;
  wecomUserId: string;
  unitId: string;
}

const resident = (id: string, name: string, wecomUserId: string, unitId: string, phoneTail: string): DemoResident => ({
  id,
  name,
  wecomUserId,
  unitId,
  phone: `138000${phoneTail}`,
});

/** Twenty residents; 张三 first, as the form's default. */
export const DEMO_RESIDENTS: readonly DemoResident[] = Object.freeze([
  resident('R-88', '张三', 'zhangsan', 'B3-1202', '00000'),
  resident('R-01', '李四', 'lisi', 'A1-0301', '00101'),
  resident('R-02', '王芳', 'wangfang', 'A1-0502', '00102'),
  resident('R-03', '刘洋', 'liuyang', 'A2-1101', '00103'),
  resident('R-04', '陈静', 'chenjing', 'A2-0803', '00104'),
  resident('R-05', '杨帆', 'yangfan', 'B1-0602', '00105'),
  resident('R-06', '黄磊', 'huanglei', 'B1-1504', '00106'),
  resident('R-07', '周敏', 'zhoumin', 'B2-0201', '00107'),
  resident('R-08', '吴刚', 'wugang', 'B2-0901', '00108'),
  resident('R-09', '徐丽', 'xuli', 'B3-0403', '00109'),
  resident('R-10', '孙浩', 'sunhao', 'B3-1702', '00110'),
  resident('R-11', '马超', 'machao', 'C1-0101', '00111'),
  resident('R-12', '朱婷', 'zhuting', 'C1-1203', '00112'),
  resident('R-13', '胡军', 'hujun', 'C2-0704', '00113'),
  resident('R-14', '郭燕', 'guoyan', 'C2-1402', '00114'),
  resident('R-15', '何平', 'heping', 'D1-0502', '00115'),
  resident('R-16', '高洁', 'gaojie', 'D1-2001', '00116'),
  resident('R-17', '林峰', 'linfeng', 'D2-0302', '00117'),
  resident('R-18', '罗娟', 'luojuan', 'D2-1103', '00118'),
  resident('R-19', '梁宇', 'liangyu', 'V-08', '00119'),
]);
